import type { APIEmbed } from 'discord.js';
import type { CommandModule } from '../src/discord/command.js';
import { EMBED_LIMITS } from '../src/discord/limits.js';
import { escapeMemberText, joinWithin, truncate } from '../src/discord/render.js';
import { editorCommand } from '../src/discord/editorial/editor-actions.js';
import { QUESTION_STATUSES, type QuestionGroup, type QuestionStatus } from '../src/questions/store.js';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 25;

function line(group: QuestionGroup): string {
  const guess = group.status === 'answered' && group.resolvedSlug ? ` → \`${group.resolvedSlug}\`` : group.latestGuess ? ` · guess \`${group.latestGuess.slug}\`` : '';
  return `**#${group.id}** · ${group.count}× by ${group.askers} · ${escapeMemberText(truncate(group.question, 150))}${guess}`;
}

export const unanswered: CommandModule = {
  definition: editorCommand('unanswered', 'Editors: the most asked questions the bot could not answer')
    .addStringOption((option) =>
      option
        .setName('status')
        .setDescription('Which questions (default: open)')
        .addChoices(...QUESTION_STATUSES.map((status) => ({ name: status, value: status }))),
    )
    .addIntegerOption((option) => option.setName('limit').setDescription(`How many (default ${DEFAULT_LIMIT})`).setMinValue(1).setMaxValue(MAX_LIMIT)),
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    const status = (input.options.status as QuestionStatus | undefined) ?? 'open';
    const limit = Number(input.options.limit ?? DEFAULT_LIMIT);
    const groups = await ctx.editorial.store.list({ status, limit });
    if (groups.length === 0) {
      return { type: 'message', ephemeral: true, content: status === 'open' ? 'No open questions: the queue is empty.' : `No ${status} questions.`, outcome: 'listed' };
    }
    const embed: APIEmbed = {
      title: `${status[0]!.toUpperCase()}${status.slice(1)} questions, most asked first`,
      description: joinWithin(groups.map(line), '\n', EMBED_LIMITS.description),
      footer: { text: '/resolve <id> <article> marks one answered · npm run questions -- export lists them all' },
    };
    return { type: 'message', ephemeral: true, embeds: [embed], outcome: 'listed' };
  },
};
