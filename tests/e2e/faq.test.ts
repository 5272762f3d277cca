/**
 * /faq end to end: the real bot against the fake Discord, with the real SQLite store. Questions answered often,
 * voted helpful or resolved by an editor are featured with their article; editors pin and hide entries.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { sharedKnowledge, startTestBot, type TestBot } from '../support/bot-harness.js';
import type { RecordedRequest } from '../support/fake-discord.js';
import { autocomplete, botMessage, buttonClick, slashCommand, type SentInteraction } from '../support/interactions.js';

const EPHEMERAL = 64;
const MEMBER = { a: '1400000000000000031', b: '1400000000000000032', c: '1400000000000000033' };
const EDITOR_ID = '1400000000000000097';

/** Our own wordings, answered by articles of the shipped knowledge base (checked in beforeAll). */
const ASKED_TWICE = 'how do I set up an iron condor';
const VOTED_HELPFUL = 'can I hedge a market crash with VIX calls';
const ASKED_ONCE = 'why do long vix etps lose value over time';
const VOTED_DOWN = 'what is gap risk for option sellers';
const RESOLVED = 'Why does my banana option position melt every Friday?';
/** Asked with `private:true`: counted, and never shown in /faq in these words. */
const ASKED_PRIVATELY = 'how do I sell a covered call on shares I own';
const THETA = 'how-does-theta-decay-work-and-why-does-it-speed-up-near-expiration';

let bot: TestBot;
let engine: Engine;

beforeAll(async () => {
  engine = (await sharedKnowledge()).current();
  for (const question of [ASKED_TWICE, VOTED_HELPFUL, ASKED_ONCE, VOTED_DOWN, ASKED_PRIVATELY]) {
    expect(engine.ask(question).answer?.kind, `pick another question: "${question}" is not answered by an article`).toBe('article');
  }
  expect(engine.ask(RESOLVED).status).toBe('unanswered');
  bot = await startTestBot({ reportToStore: true });
});

afterAll(async () => {
  await bot?.stop();
});

function by(userId: string, interaction: SentInteraction, options: { editor?: boolean } = {}): SentInteraction {
  const member = interaction.payload.member as { user: object; permissions: string };
  const permissions = options.editor ? (BigInt(member.permissions) | PermissionFlagsBits.ManageMessages).toString() : member.permissions;
  interaction.payload.member = { ...member, user: { ...member.user, id: userId }, permissions };
  return interaction;
}

async function ask(question: string, userId: string, options: { private?: boolean } = {}): Promise<RecordedRequest> {
  return bot.send(by(userId, slashCommand('ask', { question, ...options })));
}

async function vote(answered: RecordedRequest, direction: 'up' | 'down', userId: string): Promise<void> {
  const slug = engine.ask(answered.body.data.content.replace(/^\*\*Question:\*\* /, '')).answer!.slug;
  const message = botMessage({ ...answered.body.data, flags: answered.body.data.flags ?? 0 });
  await bot.send(by(userId, buttonClick(`vote:${direction}:a:${slug}`, message)));
}

/** The /faq reply: its lines as (question, article url), and the reply itself. */
async function faq(options: Record<string, string> = {}, userId = MEMBER.c) {
  const reply = await bot.send(by(userId, slashCommand('faq', options)));
  const description = (reply.body.data.embeds?.[0]?.description as string | undefined) ?? '';
  const entries = [...description.matchAll(/^\d+\. (📌 )?\[(.+)\]\((.+)\)$/gm)].map((match) => ({
    pinned: Boolean(match[1]),
    question: match[2],
    url: match[3],
  }));
  return { reply, entries };
}

const urlOf = (question: string) => engine.ask(question).answer!.url;
const articleUrl = (slug: string) => engine.kb.articleBySlug.get(slug)!.url;

describe('/faq', () => {
  it('says there is nothing yet before anything was answered', async () => {
    const { reply, entries } = await faq();
    expect(entries).toEqual([]);
    expect(reply.body.data).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/^No featured questions yet/) });
  });

  it('features questions answered often, voted helpful or resolved by an editor, each with its article', async () => {
    await ask(ASKED_TWICE, MEMBER.a);
    await ask(ASKED_TWICE.toUpperCase(), MEMBER.b);
    await vote(await ask(VOTED_HELPFUL, MEMBER.a), 'up', MEMBER.a);
    await ask(ASKED_ONCE, MEMBER.a);
    await vote(await ask(VOTED_DOWN, MEMBER.a), 'down', MEMBER.a);
    await ask(RESOLVED, MEMBER.b);
    const id = (await bot.editorial.store.list({})).find((group) => group.question === RESOLVED)!.id;
    await bot.send(by(EDITOR_ID, slashCommand('resolve', { id: String(id), article: THETA }), { editor: true }));

    const { reply, entries } = await faq();
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    expect(reply.body.data.embeds[0].title).toBe('Most asked questions');
    // Most asked and liked first: a helpful vote (1 + 2), two answers (2), one resolved report (1).
    expect(entries).toEqual([
      { pinned: false, question: VOTED_HELPFUL, url: urlOf(VOTED_HELPFUL) },
      { pinned: false, question: ASKED_TWICE, url: urlOf(ASKED_TWICE) },
      { pinned: false, question: RESOLVED, url: articleUrl(THETA) },
    ]);
  });

  it('narrows to a topic: words of the question or of the article', async () => {
    expect((await faq({ topic: 'condor' })).entries.map((entry) => entry.question)).toEqual([ASKED_TWICE]);
    expect((await faq({ topic: 'theta' })).entries.map((entry) => entry.question)).toEqual([RESOLVED]);
    const none = await faq({ topic: 'pizza' });
    expect(none.reply.body.data.content).toMatch(/^No featured questions about “pizza” yet/);
  });
});

describe('/faq-edit', () => {
  async function keyOf(typed: string): Promise<string> {
    const reply = await bot.send(by(EDITOR_ID, autocomplete('faq-edit', { entry: typed, action: 'pin' }, 'entry'), { editor: true }));
    const [choice] = reply.body.data.choices as Array<{ name: string; value: string }>;
    return choice!.value;
  }

  async function edit(entry: string, action: string, userId = EDITOR_ID) {
    const reply = await bot.send(by(userId, slashCommand('faq-edit', { entry, action }), { editor: userId === EDITOR_ID }));
    return reply.body.data.content as string;
  }

  it('is refused to members, and lists them no entries to pick (hidden ones among them)', async () => {
    expect(await edit('anything', 'hide', MEMBER.a)).toMatch(/^This command is for editors/);
    const choices = await bot.send(by(MEMBER.a, autocomplete('faq-edit', { entry: 'banana', action: 'pin' }, 'entry')));
    expect(choices.body.data.choices).toEqual([]);
    expect(await keyOf('banana')).toBeTruthy();
  });

  it('pins an entry at the top, hides one, and resets them', async () => {
    const banana = await keyOf('banana');
    const condor = await keyOf('iron condor');
    expect(await edit(banana, 'pin')).toMatch(/is pinned at the top of \/faq\.$/);
    expect(await edit(condor, 'hide')).toMatch(/is hidden from \/faq\.$/);
    expect((await faq()).entries).toEqual([
      { pinned: true, question: RESOLVED, url: articleUrl(THETA) },
      { pinned: false, question: VOTED_HELPFUL, url: urlOf(VOTED_HELPFUL) },
    ]);
    await edit(banana, 'reset');
    await edit(condor, 'reset');
    expect((await faq()).entries.map((entry) => entry.question)).toEqual([VOTED_HELPFUL, ASKED_TWICE, RESOLVED]);
    expect(await edit('no-such-key', 'pin')).toMatch(/^There is no such \/faq entry/);
  });
});

describe('private answers', () => {
  it("are counted, but /faq never shows their askers' words: a helpful vote features the article under its title", async () => {
    const article = engine.kb.articleBySlug.get(engine.ask(ASKED_PRIVATELY).answer!.slug)!;
    const first = await ask(ASKED_PRIVATELY, MEMBER.a, { private: true });
    expect(first.body.data.flags).toBe(EPHEMERAL);
    await ask(ASKED_PRIVATELY, MEMBER.b, { private: true });
    expect((await faq()).entries.map((entry) => entry.question)).toEqual([VOTED_HELPFUL, ASKED_TWICE, RESOLVED]);

    await vote(first, 'up', MEMBER.a);
    const { entries } = await faq();
    expect(entries).toContainEqual({ pinned: false, question: article.title, url: article.url });
    expect(entries.map((entry) => entry.question)).not.toContain(ASKED_PRIVATELY);
    // The same question asked in public twice is featured in its asker's words, as any other.
    await ask(ASKED_PRIVATELY, MEMBER.a);
    await ask(ASKED_PRIVATELY, MEMBER.b);
    expect((await faq()).entries.map((entry) => entry.question)).toContain(ASKED_PRIVATELY);
  });
});
