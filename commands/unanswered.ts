import { ApplicationCommandOptionType } from 'discord.js';
import { defineCommand, privateMessage } from '../src/discord/command.js';
import { renderQuestionList } from '../src/discord/editorial/render.js';
import { EDITORS_ONLY, editorCommand, isEditor } from '../src/discord/permissions.js';
import { QUESTION_STATUSES } from '../src/questions/store.js';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 25;

export const unanswered = defineCommand({
  definition: editorCommand({
    name: 'unanswered',
    description: 'Editors: the most asked questions the bot could not answer',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'status',
        description: 'Which questions (default: open)',
        choices: QUESTION_STATUSES.map((status) => ({ name: status, value: status })),
      },
      { type: ApplicationCommandOptionType.Integer, name: 'limit', description: `How many (default ${DEFAULT_LIMIT})`, min_value: 1, max_value: MAX_LIMIT },
    ],
  }),
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    // default_member_permissions hides the command, but a server admin can re-grant it: the handler checks too.
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(EDITORS_ONLY, { outcome: 'forbidden' });
    const status = input.options.status ?? 'open';
    const groups = await ctx.editorial.store.list({ status, limit: input.options.limit ?? DEFAULT_LIMIT });
    return { ...renderQuestionList(status, groups), outcome: 'listed' };
  },
});
