import type { APIEmbed } from 'discord.js';
import type { CommandModule } from '../src/discord/command.js';
import { EMBED_LIMITS } from '../src/discord/limits.js';
import { escapeMemberText, joinWithin, truncate } from '../src/discord/render.js';
import { editorCommand } from '../src/discord/editorial/editor-actions.js';
import { slugLookup, type SlugLookup } from '../src/discord/editorial/editors-channel.js';
import type { QuestionStats } from '../src/questions/store.js';

const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

function statsEmbed(stats: QuestionStats, days: number, lookup: SlugLookup): APIEmbed {
  const answerRate =
    stats.answerRate === null ? 'Nobody asked anything in this period.' : `${percent(stats.answerRate)} (${stats.answered} of ${stats.asks} questions answered)`;
  const mostAsked = stats.mostAsked.map(
    (group, i) => `${i + 1}. **#${group.id}** ${escapeMemberText(truncate(group.question, 120))} · ${group.count}×${group.status === 'open' ? '' : ` (${group.status})`}`,
  );
  const mostServed = stats.mostServed.map((served, i) => {
    const found = lookup(served.slug);
    return `${i + 1}. ${found ? `[${found.title}](${found.url})` : `\`${served.slug}\``} · ${served.count}×`;
  });
  return {
    title: `Knowledge base, last ${days === 1 ? 'day' : `${days} days`}`,
    fields: [
      { name: 'Answer rate', value: answerRate },
      { name: 'Passed to the editors', value: `${stats.reports.unanswered} unanswered · ${stats.reports.flagged} flagged · ${stats.reports.not_helpful} not helpful` },
      { name: 'Most asked (unanswered or flagged)', value: mostAsked.length > 0 ? joinWithin(mostAsked, '\n', EMBED_LIMITS.fieldValue) : 'None.' },
      { name: 'Most served articles', value: mostServed.length > 0 ? joinWithin(mostServed, '\n', EMBED_LIMITS.fieldValue) : 'None.' },
    ],
    timestamp: stats.since,
    footer: { text: 'Since' },
  };
}

export const kbStats: CommandModule = {
  definition: editorCommand('kb-stats', 'Editors: answer rate, most asked questions and most served articles').addIntegerOption((option) =>
    option.setName('days').setDescription(`The period, in days up to today (default ${DEFAULT_DAYS})`).setMinValue(1).setMaxValue(365),
  ),
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    const days = Number(input.options.days ?? DEFAULT_DAYS);
    const stats = await ctx.editorial.store.stats(new Date(Date.now() - days * DAY_MS));
    return { type: 'message', ephemeral: true, embeds: [statsEmbed(stats, days, slugLookup(ctx.engine()))], outcome: 'stats' };
  },
};
