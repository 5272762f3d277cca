/** Command definitions are plain JSON: these tests hold them to Discord's rules, and their option types to the definitions. */
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { ask } from '../../commands/ask.js';
import { resolve } from '../../commands/resolve.js';
import { unanswered } from '../../commands/unanswered.js';
import { defineCommand, type CommandInput } from '../../src/discord/command.js';
import { registrationBody, type ArgumentsOf, type OptionNameOf } from '../../src/discord/definition.js';
import { COMMAND_LIMITS } from '../../src/discord/limits.js';

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

describe('the shipped command definitions', () => {
  it.each(commands.map((command) => [command.definition.name, command] as const))(
    '/%s keeps to Discord’s rules for names, descriptions and options',
    (_name, command) => {
      const { definition } = command;
      expect(definition.name).toMatch(NAME);
      expect(definition.description.length).toBeGreaterThan(0);
      expect(definition.description.length).toBeLessThanOrEqual(COMMAND_LIMITS.description);
      const options = definition.options ?? [];
      expect(options.length).toBeLessThanOrEqual(COMMAND_LIMITS.options);
      expect(new Set(options.map((option) => option.name)).size).toBe(options.length);
      // Required options come first, or Discord refuses the registration.
      const required = options.map((option) => option.required === true);
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      for (const option of options) {
        expect(option.name).toMatch(NAME);
        expect(option.description.length).toBeGreaterThan(0);
        expect(option.description.length).toBeLessThanOrEqual(COMMAND_LIMITS.description);
        if ('choices' in option && option.choices) expect(option.choices.length).toBeLessThanOrEqual(COMMAND_LIMITS.choices);
      }
    },
  );

  it('registers as chat input commands; the editor commands hidden behind Manage Messages, in servers only', () => {
    expect(registrationBody(ask.definition)).toMatchObject({
      type: 1,
      name: 'ask',
      options: [{ name: 'question', type: ApplicationCommandOptionType.String, required: true, max_length: 1000 }, { name: 'private' }],
    });
    expect(registrationBody(resolve.definition)).toMatchObject({ default_member_permissions: PermissionFlagsBits.ManageMessages.toString(), contexts: [0] });
    expect(registrationBody(ask.definition)).not.toHaveProperty('default_member_permissions');
  });
});

describe('typed options (ArgumentsOf)', () => {
  it('derives each option’s type from its definition: required or not, string, number, boolean, or one of its choices', () => {
    expectTypeOf<ArgumentsOf<typeof ask.definition>>().toEqualTypeOf<{ readonly question: string; readonly private?: boolean }>();
    expectTypeOf<ArgumentsOf<typeof resolve.definition>>().toEqualTypeOf<{ readonly id: number; readonly article: string; readonly learn?: boolean }>();
    expectTypeOf<ArgumentsOf<typeof unanswered.definition>['status']>().toEqualTypeOf<'open' | 'answered' | 'dismissed' | undefined>();
    expectTypeOf<OptionNameOf<typeof resolve.definition>>().toEqualTypeOf<'id' | 'article' | 'learn'>();
  });

  it('hands a handler its options under their names, typed, with no cast', async () => {
    const echo = defineCommand({
      definition: {
        name: 'echo',
        description: 'Echo',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'text', description: 'Text', required: true },
          { type: ApplicationCommandOptionType.Integer, name: 'times', description: 'Times' },
        ],
      },
      execute(input) {
        // @ts-expect-error a misspelt option name does not compile
        void input.options.txet;
        return { type: 'message', content: input.options.text.repeat(input.options.times ?? 1) };
      },
    });
    const input: CommandInput<typeof echo.definition> = {
      interactionId: '1',
      userId: '2',
      userName: 'member',
      guildId: null,
      channelId: null,
      locale: 'en-US',
      memberPermissions: null,
      roleIds: [],
      command: 'echo',
      options: { text: 'ab', times: 3 },
    };
    expect(await echo.execute(input, {} as never)).toEqual({ type: 'message', content: 'ababab' });
  });
});
