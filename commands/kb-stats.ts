import { ApplicationCommandOptionType } from 'discord.js';
import { defineCommand, privateMessage } from '../src/discord/command.js';
import { renderStats, slugLookup } from '../src/discord/editorial/render.js';
import { EDITORS_ONLY, editorCommand, isEditor } from '../src/discord/permissions.js';

const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;
const DEFAULT_ARTICLES = 5;
/** The embed keeps room for 20 article fields; 10 leaves each enough room to name its questions. */
const MAX_ARTICLES = 10;

export const kbStats = defineCommand({
  definition: editorCommand({
    name: 'kb-stats',
    description: 'Editors: answer rate, open queue, most asked questions, and per article times served and votes',
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'days',
        description: `The period, in days up to today (default ${DEFAULT_DAYS})`,
        min_value: 1,
        max_value: 365,
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'articles',
        description: `How many articles, most served first (default ${DEFAULT_ARTICLES})`,
        min_value: 1,
        max_value: MAX_ARTICLES,
      },
    ],
  }),
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    // default_member_permissions hides the command, but a server admin can re-grant it: the handler checks too.
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(EDITORS_ONLY, { outcome: 'forbidden' });
    const days = Math.min(Math.max(input.options.days ?? DEFAULT_DAYS, 1), 365);
    const articles = Math.min(Math.max(input.options.articles ?? DEFAULT_ARTICLES, 1), MAX_ARTICLES);
    const stats = await ctx.editorial.store.stats(new Date(Date.now() - days * DAY_MS), { articles });
    return { ...renderStats(stats, days, slugLookup(ctx.engine())), outcome: 'stats' };
  },
});
