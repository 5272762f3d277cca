/**
 * The real discord.js client of the bot against a local fake Discord: every interaction travels over the gateway
 * WebSocket and every answer over REST, as in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { VOTE_NOT_STORED, voteMessage } from '../../commands/vote.js';
import { MAX_AUTOCOMPLETE_CHOICES, MAX_CHOICE_NAME } from '../../src/discord/limits.js';
import { PASSED_TO_EDITORS } from '../../src/discord/render.js';
import { THANKS_PASSED_TO_EDITORS } from '../../src/discord/reporting.js';
import { ERROR_REPLY, SHUTTING_DOWN_REPLY, UNKNOWN_INTERACTION_REPLY } from '../../src/discord/router.js';
import type { Engine } from '../../src/engine/engine.js';
import { sharedKnowledge, startTestBot, TEST_TOKEN, type TestBot } from '../support/bot-harness.js';
import type { RecordedRequest } from '../support/fake-discord.js';
import { boom, slow } from '../support/test-commands.js';
import {
  autocomplete,
  botMessage,
  buttonClick,
  CHANNEL_ID,
  GUILD_ID,
  MEMBER_ID,
  modalSubmit,
  slashCommand,
  type SentInteraction,
} from '../support/interactions.js';

const CALLBACK = { reply: 4, deferredReply: 5, autocomplete: 8, modal: 9 } as const;
const EPHEMERAL = 64;
/** Generous: a busy CI machine may take a while to pass a message between the fake and the bot. */
const POLL = { timeout: 5_000 };
const ButtonStyle = { Primary: 1, Secondary: 2, Success: 3, Link: 5 } as const;

let bot: TestBot;
let engine: Engine;

beforeAll(async () => {
  engine = (await sharedKnowledge()).current();
  bot = await startTestBot({ commands: [...commands, boom, slow], deferAfterMs: 150 });
});

afterAll(async () => {
  await bot?.stop();
});

/** Buttons of a reply, flattened. */
function buttons(data: { components?: Array<{ components: Array<Record<string, string | number>> }> }) {
  return (data.components ?? []).flatMap((row) => row.components);
}

/** The message Discord would hand back in a component interaction for a reply the bot sent. */
function messageOf(callback: RecordedRequest): Record<string, unknown> {
  return botMessage({ ...callback.body.data, flags: callback.body.data.flags ?? 0 });
}

function logLine(interactionId: string) {
  return bot.logs.find((line) => line.msg === 'interaction' && line.interactionId === interactionId);
}

/** First question of `candidates` the engine leaves unanswered with at least one "did you mean". */
function unansweredWithSuggestions(): string {
  const candidates = ['iron condor on bitcoin', 'condor wings crypto tax', 'is the vix fear gauge broken by crypto', 'straddle gamma weekend'];
  const question = candidates.find((candidate) => {
    const result = engine.ask(candidate);
    return result.status === 'unanswered' && result.suggestions.length > 0;
  });
  if (!question) throw new Error('the knowledge base changed: pick new unanswered questions with suggestions for this test');
  return question;
}

describe('/ask', () => {
  const question = 'How do I hedge with VIX calls?';
  let answered: RecordedRequest;
  let interactionId: string;

  beforeAll(async () => {
    expect(engine.ask(question).answer?.kind, 'the test question should be answered by an article').toBe('article');
    const interaction = slashCommand('ask', { question });
    interactionId = interaction.id;
    answered = await bot.send(interaction);
  });

  it('answers publicly with an embed: title linked to the article, excerpt, glossary, citation and disclaimer', () => {
    const answer = engine.ask(question).answer!;
    expect(answered.body.type).toBe(CALLBACK.reply);
    const data = answered.body.data;
    expect(data.flags ?? 0).toBe(0);
    expect(data.content).toContain(question);
    const [embed] = data.embeds;
    expect(embed.title).toBe(answer.title);
    expect(embed.url).toBe(answer.url);
    expect(embed.description).toContain(answer.excerpt.slice(0, 80));
    expect(embed.footer.text).toBe(answer.disclaimer);
    expect(embed.fields).toContainEqual(expect.objectContaining({ name: 'Source', value: answer.citation }));
    if (answer.glossary.length > 0) expect(embed.fields.map((field: { name: string }) => field.name)).toContain('Glossary');
  });

  it('offers Read the article (link), Helpful, Not helpful and Flag for editors', () => {
    const answer = engine.ask(question).answer!;
    expect(buttons(answered.body.data)).toEqual([
      { type: 2, style: ButtonStyle.Link, label: 'Read the article', url: answer.url },
      { type: 2, style: ButtonStyle.Success, label: 'Helpful', custom_id: `vote:up:a:${answer.slug}` },
      { type: 2, style: ButtonStyle.Secondary, label: 'Not helpful', custom_id: `vote:down:a:${answer.slug}` },
      { type: 2, style: ButtonStyle.Secondary, label: 'Flag for editors', custom_id: `flag:a:${answer.slug}` },
    ]);
  });

  it('never lets the reply ping anyone', () => {
    expect(answered.body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('logs one line with the command, the latency and the outcome, and never a token', async () => {
    await expect.poll(() => logLine(interactionId), POLL).toBeDefined();
    expect(logLine(interactionId)).toMatchObject({ kind: 'command', command: 'ask', outcome: 'answered', userId: MEMBER_ID, guildId: GUILD_ID });
    expect(logLine(interactionId)!.latencyMs).toEqual(expect.any(Number));
    const everything = JSON.stringify(bot.logs);
    expect(everything).not.toContain(TEST_TOKEN);
    expect(everything).not.toContain(answered.path.split('/')[3]);
  });

  it('answers privately when asked to', async () => {
    const callback = await bot.send(slashCommand('ask', { question, private: true }));
    expect(callback.body.type).toBe(CALLBACK.reply);
    expect(callback.body.data.flags).toBe(EPHEMERAL);
    expect(callback.body.data.embeds).toHaveLength(1);
  });

  it('says so privately when there is no confident answer, passes the question on, and offers the flag button', async () => {
    const offTopic = 'What is the best pizza in Naples?';
    const reports = bot.sink.reports.length;
    const callback = await bot.send(slashCommand('ask', { question: offTopic }));
    expect(callback.body.type).toBe(CALLBACK.reply);
    expect(callback.body.data.flags).toBe(EPHEMERAL);
    expect(callback.body.data.content).toContain("I don't have a confident answer");
    expect(callback.body.data.content).toContain(PASSED_TO_EDITORS);
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [] });
    expect(buttons(callback.body.data)).toContainEqual(expect.objectContaining({ label: 'Flag for editors', custom_id: 'flag' }));
    expect(bot.sink.reports.slice(reports)).toEqual([
      expect.objectContaining({ kind: 'unanswered', question: offTopic, userId: MEMBER_ID, guildId: GUILD_ID, channelId: CHANNEL_ID }),
    ]);
  });

  it('offers up to three "did you mean" buttons: glossary terms open in place, articles link to the site', async () => {
    const near = unansweredWithSuggestions();
    const expected = engine.ask(near).suggestions;
    const callback = await bot.send(slashCommand('ask', { question: near }));
    const data = callback.body.data;
    expect(data.content).toContain('Did you mean');
    const offered = buttons(data).filter((button) => button.label !== 'Flag for editors');
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.length).toBeLessThanOrEqual(3);
    expect(offered).toEqual(
      expected.map((suggestion) =>
        suggestion.kind === 'glossary'
          ? expect.objectContaining({ label: suggestion.title, custom_id: `term:${suggestion.slug}` })
          : expect.objectContaining({ label: suggestion.title, style: ButtonStyle.Link, url: engine.kb.articleBySlug.get(suggestion.slug)!.url }),
      ),
    );
  });

  it('shows @everyone and Markdown in a question as typed: escaped, and pinging no one', async () => {
    // Off-topic, so it goes unanswered and is echoed back (mentions and links are not read as words of the question).
    const sneaky = '@everyone **can** my landlord _really_ [raise the rent](https://evil.example)? <@123> <@&456>';
    const callback = await bot.send(slashCommand('ask', { question: sneaky }));
    const data = callback.body.data;
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.content).toContain('@everyone \\*\\*can\\*\\* my landlord \\_really\\_ \\[raise the rent](https://evil.example)? <@123> <@&456>');
    expect(bot.sink.reports.at(-1)).toMatchObject({ kind: 'unanswered', question: sneaky });
  });
});

describe('/glossary', () => {
  it('autocompletes from memory with at most 25 choices whose values are slugs', async () => {
    for (const typed of ['', 'vol', 'iron', 'straddel']) {
      const callback = await bot.send(autocomplete('glossary', { term: typed }, 'term'));
      expect(callback.body.type).toBe(CALLBACK.autocomplete);
      const choices = callback.body.data.choices as Array<{ name: string; value: string }>;
      expect(choices.length, `choices for "${typed}"`).toBeGreaterThan(0);
      expect(choices.length).toBeLessThanOrEqual(MAX_AUTOCOMPLETE_CHOICES);
      for (const choice of choices) {
        expect(choice.name.length).toBeLessThanOrEqual(MAX_CHOICE_NAME);
        expect(engine.kb.glossaryBySlug.has(choice.value)).toBe(true);
      }
    }
  });

  it('shows the definition, aliases, articles using the term, and related terms as buttons', async () => {
    const term = engine.kb.glossary.find(
      (candidate) =>
        candidate.aliases.length > 0 && candidate.related.length > 0 && engine.kb.articles.some((article) => article.glossary.includes(candidate.slug)),
    )!;
    const callback = await bot.send(slashCommand('glossary', { term: term.slug }));
    expect(callback.body.type).toBe(CALLBACK.reply);
    const data = callback.body.data;
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const [embed] = data.embeds;
    expect(embed).toMatchObject({ title: term.term, url: term.url, description: term.definition });
    expect(embed.fields).toContainEqual(expect.objectContaining({ name: 'Also called', value: expect.stringContaining(term.aliases[0]!) }));
    const usedIn = engine.kb.articles.find((article) => article.glossary.includes(term.slug))!;
    expect(embed.fields).toContainEqual(expect.objectContaining({ name: 'Articles using this term', value: expect.stringContaining(usedIn.url) }));
    const relatedIds = buttons(data)
      .map((button) => button.custom_id)
      .filter(Boolean);
    expect(relatedIds).toEqual(term.related.slice(0, 10).map((slug) => `term:${slug}`));

    // A related-term button opens that term, privately.
    const related = engine.kb.glossaryBySlug.get(term.related[0]!)!;
    const opened = await bot.send(buttonClick(`term:${related.slug}`, messageOf(callback)));
    expect(opened.body.data.flags).toBe(EPHEMERAL);
    expect(opened.body.data.embeds[0].title).toBe(related.term);
  });

  it('accepts free text that matches no choice', async () => {
    const callback = await bot.send(slashCommand('glossary', { term: 'Iron Condor' }));
    expect(callback.body.data.embeds[0].title).toBe('Iron Condor');
    const nothing = await bot.send(slashCommand('glossary', { term: 'qqqqqqqq zzzzzz' }));
    expect(nothing.body.data.flags).toBe(EPHEMERAL);
    expect(nothing.body.data.content).toContain('No glossary term matches');
  });
});

describe('flagging', () => {
  it('the flag button opens a modal pre-filled with the question; submitting it reaches the editors', async () => {
    const question = 'How do I hedge with VIX calls?';
    const slug = engine.ask(question).answer!.slug;
    const answered = await bot.send(slashCommand('ask', { question }));

    const modal = await bot.send(buttonClick(`flag:a:${slug}`, messageOf(answered)));
    expect(modal.body.type).toBe(CALLBACK.modal);
    expect(modal.body.data.custom_id).toBe(`flag-note:a:${slug}`);
    const inputs = modal.body.data.components.map((label: { component: { custom_id: string; value?: string } }) => label.component);
    expect(inputs).toEqual([
      expect.objectContaining({ custom_id: 'question', value: question }),
      expect.objectContaining({ custom_id: 'note', required: false }),
    ]);

    const reports = bot.sink.reports.length;
    const submitted = await bot.send(modalSubmit(`flag-note:a:${slug}`, { question, note: 'The answer skips the cost of the calls.' }, messageOf(answered)));
    expect(submitted.body.type).toBe(CALLBACK.reply);
    expect(submitted.body.data).toMatchObject({ content: THANKS_PASSED_TO_EDITORS, flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    expect(bot.sink.reports.slice(reports)).toEqual([
      expect.objectContaining({ kind: 'flagged', question, note: 'The answer skips the cost of the calls.', answeredSlug: slug, answeredKind: 'article' }),
    ]);
  });

  it('the flag button under a no-answer reply carries the question too', async () => {
    const question = 'What is the best pizza in Naples?';
    const unanswered = await bot.send(slashCommand('ask', { question }));
    const modal = await bot.send(buttonClick('flag', messageOf(unanswered)));
    expect(modal.body.data.components[0].component.value).toBe(question);
  });

  it('/flag passes a question and a note to the editors', async () => {
    const callback = await bot.send(slashCommand('flag', { question: 'Do you cover VIX ETNs?', note: 'Nothing on VXX' }));
    expect(callback.body.data).toMatchObject({ content: THANKS_PASSED_TO_EDITORS, flags: EPHEMERAL });
    expect(bot.sink.reports.at(-1)).toMatchObject({ kind: 'flagged', question: 'Do you cover VIX ETNs?', note: 'Nothing on VXX', userId: MEMBER_ID });
  });
});

describe('votes', () => {
  const question = 'How do I hedge with VIX calls?';
  const OTHER_MEMBER = '1400000000000000002';

  /** The interaction as clicked by another member. */
  function byOther(interaction: SentInteraction): SentInteraction {
    const member = interaction.payload.member as { user: object };
    interaction.payload.member = { ...member, user: { ...member.user, id: OTHER_MEMBER } };
    return interaction;
  }

  it('stores one vote per member and answer in the question store: voting again changes nothing, the other button flips it', async () => {
    const slug = engine.ask(question).answer!.slug;
    const answer = { kind: 'article', slug, question } as const;
    const answered = await bot.send(slashCommand('ask', { question }));
    const reports = bot.sink.reports.length;
    const click = async (direction: 'up' | 'down', other = false) => {
      const interaction = buttonClick(`vote:${direction}:a:${slug}`, messageOf(answered));
      return (await bot.send(other ? byOther(interaction) : interaction)).body.data;
    };

    expect(await click('up')).toMatchObject({ content: voteMessage('helpful', null), flags: EPHEMERAL });
    expect(await bot.editorial.store.voteOf(answer, MEMBER_ID)).toBe('helpful');
    expect(bot.sink.reports).toHaveLength(reports);

    expect(await click('up')).toMatchObject({ content: 'You already marked this answer as helpful; your vote is unchanged.', flags: EPHEMERAL });

    expect(await click('down')).toMatchObject({ content: voteMessage('not_helpful', 'helpful', true), flags: EPHEMERAL });
    expect((await click('down')).content).toBe(voteMessage('not_helpful', 'not_helpful'));
    expect(await bot.editorial.store.voteOf(answer, MEMBER_ID)).toBe('not_helpful');
    // The new "not helpful" went to the editors once, with the question and the answer it got.
    expect(bot.sink.reports.slice(reports)).toEqual([
      expect.objectContaining({ kind: 'not_helpful', question, answeredSlug: slug, answeredKind: 'article', userId: MEMBER_ID }),
    ]);

    expect((await click('up')).content).toBe('Thanks, your vote is changed to helpful.');
    expect(await bot.editorial.store.voteOf(answer, MEMBER_ID)).toBe('helpful');

    // Another member's vote on the same public answer is their own.
    expect((await click('down', true)).content).toBe(voteMessage('not_helpful', null, true));
    expect(await bot.editorial.store.voteOf(answer, OTHER_MEMBER)).toBe('not_helpful');
    expect(await bot.editorial.store.voteOf(answer, MEMBER_ID)).toBe('helpful');
  });

  it('tells the member the vote was not counted when the store cannot take it', async () => {
    const own = await startTestBot();
    try {
      const slug = engine.ask(question).answer!.slug;
      const answered = await own.send(slashCommand('ask', { question }));
      own.app.store.close();
      const reply = await own.send(buttonClick(`vote:down:a:${slug}`, messageOf(answered)));
      expect(reply.body.data).toMatchObject({ content: VOTE_NOT_STORED, flags: EPHEMERAL });
      expect(own.sink.reports.filter((report) => report.kind === 'not_helpful')).toEqual([]);
    } finally {
      await own.stop();
    }
  });
});

describe('the router', () => {
  it('gives the member an error reply when a handler throws, and keeps serving', async () => {
    const failed = await bot.send(slashCommand('boom', {}));
    expect(failed.body.data).toMatchObject({ content: ERROR_REPLY, flags: EPHEMERAL });
    await expect.poll(() => bot.logs.some((line) => line.msg === 'interaction failed' && line.command === 'boom')).toBe(true);
    const next = await bot.send(slashCommand('ask', { question: 'What is the VIX?' }));
    expect(next.body.data.embeds).toHaveLength(1);
  });

  it('defers a slow handler, then edits in the answer', async () => {
    const interaction = slashCommand('slow', {});
    const callback = await bot.send(interaction);
    expect(callback.body.type).toBe(CALLBACK.deferredReply);
    const edit = await bot.fake.waitForRequest((request) => request.method === 'PATCH' && request.path.includes(interaction.token));
    expect(edit.path).toMatch(/\/messages\/@original$/);
    expect(edit.body).toMatchObject({ content: 'done at last', allowed_mentions: { parse: [] } });
  });

  it('replaces a public "thinking…" with a private follow-up when the answer is private', async () => {
    const interaction = slashCommand('slow', { private: true });
    await bot.send(interaction);
    const followUp = await bot.fake.waitForRequest(
      (request) => request.method === 'POST' && request.path === `/webhooks/${interaction.payload.application_id}/${interaction.token}`,
    );
    expect(followUp.body).toMatchObject({ content: 'done at last', flags: EPHEMERAL });
    expect(bot.fake.webhookRequests(interaction.token).map((request) => request.method)).toEqual(['DELETE', 'POST']);
  });

  it('answers buttons it does not know with a private note', async () => {
    const callback = await bot.send(buttonClick('retired-button:1', botMessage({ content: 'old' })));
    expect(callback.body.data).toMatchObject({ content: UNKNOWN_INTERACTION_REPLY, flags: EPHEMERAL });
  });

  it('on shutdown finishes the interactions in flight, refuses new ones politely, then disconnects', async () => {
    const own = await startTestBot({ commands: [...commands, slow], deferAfterMs: 5_000 });
    const inFlight = slashCommand('slow', {});
    own.fake.dispatchInteraction(inFlight.payload);
    await expect.poll(() => own.bot.router.inFlightCount, POLL).toBe(1);

    const stopped = own.bot.stop();
    const late = await own.send(slashCommand('ask', { question: 'What is the VIX?' }));
    expect(late.body.data).toMatchObject({ content: SHUTTING_DOWN_REPLY, flags: EPHEMERAL });

    await stopped;
    const finished = await own.fake.waitForCallback(inFlight.id);
    expect(finished.body.data.content).toBe('done at last');
    await expect.poll(() => own.fake.connectedClients, POLL).toBe(0);
    // The rest of the app's shutdown (store, temporary DATA_DIR, the fake).
    await own.stop();
  });

  it('identifies with the Guilds intent only and the configured token', () => {
    expect(bot.fake.identifies[0]).toEqual({ token: TEST_TOKEN, intents: 1 });
  });
});
