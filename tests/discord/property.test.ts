/**
 * Properties over what a member can send the bot, through the router with the shipped commands and a real SQLite
 * store: arbitrary glossary terms, questions, flag notes, custom_ids (forged, stale, of another prefix or another
 * guild's question) and modal inputs. Never a crash reply, never a ping, never a payload over Discord's limits, and a
 * forged editors' button changes no question.
 */
import type { APIInteraction, APIInteractionResponse } from 'discord.js';
import { REST } from 'discord.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { BotContext } from '../../src/discord/command.js';
import { CUSTOM_IDS } from '../../src/discord/custom-ids.js';
import { createEditorial } from '../../src/discord/editorial/editorial.js';
import { MAX_AUTOCOMPLETE_CHOICES, MAX_CHOICE_NAME, MAX_CHOICE_VALUE, MAX_MESSAGE_CONTENT } from '../../src/discord/limits.js';
import { ERROR_REPLY, InteractionRouter } from '../../src/discord/router.js';
import { createLogger } from '../../src/log.js';
import { sharedKnowledge, TEST_SETTINGS } from '../support/bot-harness.js';
import { expectWithinLimits } from '../support/embed-limits.js';
import { autocomplete, botMessage, buttonClick, modalSubmit, slashCommand, type SentInteraction } from '../support/interactions.js';
import { recordingMessenger, tempStore } from '../questions/helpers.js';

let store: ReturnType<typeof tempStore>;
let router: InteractionRouter;

beforeAll(async () => {
  const knowledge = await sharedKnowledge();
  store = tempStore();
  const logger = createLogger({ level: 'silent' });
  const { editorial, reporter } = createEditorial({
    settings: TEST_SETTINGS,
    store: store.store,
    logger,
    engine: () => knowledge.current(),
    messenger: recordingMessenger().messenger,
    knowledge,
  });
  const context: BotContext = { engine: () => knowledge.current(), knowledge, sink: reporter, editorial, logger };
  // No REST API behind it: every first response must come inline (the defer threshold is out of reach).
  router = new InteractionRouter(commands, context, { rest: new REST({ api: 'http://127.0.0.1:9' }), deferAfterMs: 60_000 });
  await store.store.report({ kind: 'unanswered', question: 'What is a jade lizard?', userId: '1400000000000000077', guildId: null, channelId: null });
});

afterAll(() => store?.cleanup());

async function firstResponse(interaction: SentInteraction): Promise<APIInteractionResponse> {
  let response: APIInteractionResponse | undefined;
  await router.handle(interaction.payload as unknown as APIInteraction, async (sent) => {
    response = sent;
  });
  if (!response) throw new Error('no first response');
  return response;
}

/** What Discord would refuse or what would hurt the member: checked on every first response. */
function expectSafe(response: APIInteractionResponse): void {
  const data = (response as { data?: Record<string, unknown> }).data ?? {};
  if (typeof data.content === 'string') {
    expect(data.content.length).toBeLessThanOrEqual(MAX_MESSAGE_CONTENT);
    expect(data.content).not.toBe(ERROR_REPLY);
  }
  for (const embed of (data.embeds as Parameters<typeof expectWithinLimits>[0][] | undefined) ?? []) expectWithinLimits(embed);
  if ('content' in data || 'embeds' in data) expect(data.allowed_mentions).toEqual({ parse: [] });
  const choices = data.choices as Array<{ name: string; value: string }> | undefined;
  if (choices) {
    expect(choices.length).toBeLessThanOrEqual(MAX_AUTOCOMPLETE_CHOICES);
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(MAX_CHOICE_NAME);
      expect(String(choice.value).length).toBeLessThanOrEqual(MAX_CHOICE_VALUE);
    }
  }
}

/** Any text, with the injections members try: mass mentions, role pings, masked links, zero-width and RTL marks. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '@everyone',
          '@here',
          '<@&1500000000000000009>',
          '[free](https://evil.example)',
          '\u200b',
          '\u202e',
          '\u0000',
          '**',
          '`',
          'iron condor',
          'vega',
        ),
        fc.string({ maxLength: 10 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(' ')),
  fc.string({ minLength: 990, maxLength: 1100 }),
);

const prefixes = Object.values(CUSTOM_IDS);
/** custom_ids as a client could forge them: known prefixes with any arguments, or any text at all. */
const customId = fc.oneof(
  fc
    .tuple(fc.constantFrom(...prefixes), fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.nat().map(String)), { maxLength: 4 }))
    .map(([prefix, args]) => [prefix, ...args].join(':')),
  fc.string({ maxLength: 100 }),
);

describe('whatever a member sends', () => {
  it('/glossary and its autocomplete, /ask and /flag with any text: a safe reply, within limits', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (text, note) => {
        expectSafe(await firstResponse(slashCommand('glossary', { term: text.slice(0, 100) })));
        expectSafe(await firstResponse(autocomplete('glossary', { term: text.slice(0, 100) }, 'term')));
        expectSafe(await firstResponse(slashCommand('ask', { question: text.slice(0, 1000) || '?' })));
        expectSafe(await firstResponse(slashCommand('flag', { question: text.slice(0, 1000) || '?', note: note.slice(0, 1000) })));
      }),
      { numRuns: 60 },
    );
  });

  it('any custom_id on a button or a modal, with any inputs: a safe reply, and no question changes when a member forges an editors button', async () => {
    const before = await store.store.get(1);
    await fc.assert(
      fc.asyncProperty(customId, hostile, hostile, async (id, question, note) => {
        expectSafe(await firstResponse(buttonClick(id, botMessage({ content: `> ${question.slice(0, 200)}` }))));
        expectSafe(await firstResponse(modalSubmit(id, { question: question.slice(0, 1000), note: note.slice(0, 1000), article: note.slice(0, 100) })));
      }),
      { numRuns: 150 },
    );
    // The members of interactions.ts cannot Manage Messages and have no editor role: question #1 is as it was.
    expect(await store.store.get(1)).toEqual(before);
  });
});
