import { ApplicationCommandOptionType } from 'discord.js';
import { defineCommand } from '../src/discord/command.js';
import { renderStats, slugLookup } from '../src/discord/editorial/render.js';
import { editorCommand } from '../src/discord/permissions.js';

const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;

export const kbStats = defineCommand({
  definition: editorCommand({
    name: 'kb-stats',
    description: 'Editors: answer rate, most asked questions and most served articles',
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'days',
        description: `The period, in days up to today (default ${DEFAULT_DAYS})`,
        min_value: 1,
        max_value: 365,
      },
    ],
  }),
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    const days = input.options.days ?? DEFAULT_DAYS;
    const stats = await ctx.editorial.store.stats(new Date(Date.now() - days * DAY_MS));
    return { ...renderStats(stats, days, slugLookup(ctx.engine())), outcome: 'stats' };
  },
});
