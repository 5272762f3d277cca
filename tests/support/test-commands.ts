import { ApplicationCommandOptionType } from 'discord.js';
import { defineCommand } from '../../src/discord/command.js';

/** Test-only commands: one that throws, one slow enough to be deferred. */
export const SLOW_MS = 400;
export const boom = defineCommand({
  definition: { name: 'boom', description: 'Always fails' },
  execute() {
    throw new Error('handler exploded');
  },
});
export const slow = defineCommand({
  definition: {
    name: 'slow',
    description: 'Answers late',
    options: [{ type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Answer privately' }],
  },
  async execute(input) {
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    return { type: 'message', content: 'done at last', ephemeral: input.options.private === true };
  },
});
