import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, SqliteQuestionStore } from '../../src/questions/sqlite.js';
import { DUPLICATE_WINDOW_MS, EDITORS_POST_CLAIM_MS } from '../../src/questions/store.js';
import { describeStores } from './backends.js';
import { tempStore, unanswered } from './helpers.js';

describe('SqliteQuestionStore', () => {
  let env: ReturnType<typeof tempStore>;
  beforeEach(() => {
    env = tempStore();
  });
  afterEach(() => env.cleanup());

  it('creates the schema in WAL mode under DATA_DIR and records its version', () => {
    env.store.close();
    const db = new Database(path.join(env.dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(['answered_questions', 'asks', 'faq_states', 'learned_phrasings', 'question_groups', 'question_reports', 'votes']);
    db.close();
  });

  it('reopens an existing database without migrating it again, keeping its rows', async () => {
    await env.store.report(unanswered('What is a calendar spread?'));
    env.store.close();
    const reopened = new SqliteQuestionStore(env.dir);
    expect((await reopened.list({})).map((group) => group.question)).toEqual(['What is a calendar spread?']);
    reopened.close();
  });

  it('refuses a database written by a newer version of the bot', () => {
    env.store.close();
    const db = new Database(path.join(env.dir, DATABASE_FILE));
    db.pragma('user_version = 99');
    db.close();
    expect(() => new SqliteQuestionStore(env.dir)).toThrow(/schema version 99, newer than this bot knows/);
  });
});

describeStores('the question store', (env) => {
  it('stores every field of a report, with the text cleaned and capped', async () => {
    const outcome = await env.store.report({
      kind: 'flagged',
      question: `What\u0000 is\u001b[31m vega?\n${'x'.repeat(1200)}`,
      userId: 'u7',
      guildId: 'g7',
      channelId: 'c7',
      answeredSlug: 'greeks-explained',
      answeredKind: 'article',
      confidence: 0.62,
      note: 'wrong\u0007 answer',
    });
    expect(outcome).toEqual({ questionId: 1, isNew: true, count: 1, status: 'open', duplicate: false, reopened: false });
    const group = await env.store.get(outcome.questionId);
    expect(group?.question.length).toBe(1000);
    expect(group?.question.startsWith('What is [31m vega? xxx')).toBe(true);
    expect(group).toMatchObject({
      status: 'open',
      count: 1,
      askers: 1,
      kinds: { unanswered: 0, flagged: 1, not_helpful: 0 },
      firstUserId: 'u7',
      firstGuildId: 'g7',
      firstChannelId: 'c7',
      firstAskedAt: '2026-03-02T10:00:00.000Z',
      latestGuess: { slug: 'greeks-explained', kind: 'article', confidence: 0.62, answered: true, title: null },
    });
    const [row] = await env.store.exportRows({});
    expect(row?.notes).toEqual(['wrong answer']);
  });

  it('groups repeats by their normalised text and counts them', async () => {
    const first = await env.store.report(unanswered('What is the VIX?', 'u1'));
    env.advance(60_000);
    const second = await env.store.report(unanswered('hi, what is the vix please', 'u2'));
    env.advance(60_000);
    const third = await env.store.report(unanswered('Qué es el VIX?', 'u3'));
    expect(first).toMatchObject({ isNew: true, count: 1 });
    expect(second).toMatchObject({ questionId: first.questionId, isNew: false, count: 2 });
    expect(third).toMatchObject({ isNew: true, count: 1 });
    const group = await env.store.get(first.questionId);
    expect(group).toMatchObject({ count: 2, askers: 2, question: 'What is the VIX?', lastAskedAt: '2026-03-02T10:01:00.000Z' });
  });

  it('does not count the same report from the same member twice within the duplicate window', async () => {
    const first = await env.store.report(unanswered('What is gamma?', 'u1'));
    const again = await env.store.report(unanswered('what is gamma', 'u1'));
    expect(again).toEqual({ questionId: first.questionId, isNew: false, count: 1, status: 'open', duplicate: true, reopened: false });
    // A flag with a note says something new; so does the same question after the window.
    const flagged = await env.store.report(unanswered('What is gamma?', 'u1', { kind: 'flagged', note: 'outdated' }));
    expect(flagged).toMatchObject({ duplicate: false, count: 2 });
    env.advance(DUPLICATE_WINDOW_MS + 1);
    expect(await env.store.report(unanswered('What is gamma?', 'u1'))).toMatchObject({ duplicate: false, count: 3 });
    expect((await env.store.get(first.questionId))?.askers).toBe(1);
  });

  it('lists groups by status, most reported first, with a limit', async () => {
    for (const user of ['a', 'b', 'c']) await env.store.report(unanswered('What is theta?', user));
    for (const user of ['a', 'b']) await env.store.report(unanswered('What is rho?', user));
    const vanna = await env.store.report(unanswered('What is vanna?', 'a'));
    await env.store.setStatus(vanna.questionId, { status: 'dismissed', editorId: 'ed' });

    expect((await env.store.list({ status: 'open' })).map((group) => [group.question, group.count])).toEqual([
      ['What is theta?', 3],
      ['What is rho?', 2],
    ]);
    expect((await env.store.list({ status: 'open', limit: 1 })).map((group) => group.question)).toEqual(['What is theta?']);
    expect((await env.store.list({ status: 'dismissed' })).map((group) => group.question)).toEqual(['What is vanna?']);
    expect(await env.store.list({})).toHaveLength(3);
  });

  it('marks a group answered or dismissed, remembering who did it and the previous state', async () => {
    const { questionId } = await env.store.report(unanswered('How do I hedge with VIX calls?'));
    env.advance(1000);
    const answered = await env.store.setStatus(questionId, { status: 'answered', articleSlug: 'hedging-with-vix-calls', editorId: 'ed1' });
    expect(answered).toMatchObject({
      previousStatus: 'open',
      previousSlug: null,
      group: { status: 'answered', resolvedSlug: 'hedging-with-vix-calls', resolvedBy: 'ed1', resolvedAt: '2026-03-02T10:00:01.000Z' },
    });
    const dismissed = await env.store.setStatus(questionId, { status: 'dismissed', editorId: 'ed2' });
    expect(dismissed).toMatchObject({ previousStatus: 'answered', previousSlug: 'hedging-with-vix-calls', group: { status: 'dismissed', resolvedSlug: null } });
    expect(await env.store.setStatus(999, { status: 'dismissed', editorId: 'ed' })).toBeNull();
  });

  it('reopens an answered group when a member reports it again; a dismissed one stays dismissed', async () => {
    const answered = await env.store.report(unanswered('What is skew?', 'u1'));
    await env.store.setStatus(answered.questionId, { status: 'answered', articleSlug: 'skew', editorId: 'ed' });
    expect(await env.store.report(unanswered('what is skew', 'u2', { kind: 'not_helpful', answeredSlug: 'skew' }))).toMatchObject({
      isNew: false,
      reopened: true,
      status: 'open',
      count: 2,
    });

    const dismissed = await env.store.report(unanswered('best pizza in town', 'u1'));
    await env.store.setStatus(dismissed.questionId, { status: 'dismissed', editorId: 'ed' });
    expect(await env.store.report(unanswered('Best pizza in town?', 'u2'))).toMatchObject({ reopened: false, status: 'dismissed', count: 2 });
  });

  it('lists the askers of a group once each, with where they last asked', async () => {
    const { questionId } = await env.store.report(unanswered('What is contango?', 'u1', { channelId: 'c1' }));
    env.advance(DUPLICATE_WINDOW_MS + 1);
    await env.store.report(unanswered('what is contango', 'u2', { channelId: 'c2' }));
    await env.store.report(unanswered('What is contango!', 'u1', { channelId: 'c3' }));
    expect(await env.store.askers(questionId)).toEqual([
      { userId: 'u2', guildId: 'g1', channelId: 'c2', lastAskedAt: '2026-03-02T10:10:00.001Z' },
      { userId: 'u1', guildId: 'g1', channelId: 'c3', lastAskedAt: '2026-03-02T10:10:00.001Z' },
    ]);
  });

  it('keeps the best guess of the latest report that had one', async () => {
    const { questionId } = await env.store.report(
      unanswered('What is a VIX ETN?', 'u1', { bestGuess: { kind: 'article', slug: 'vix-etps', title: 'VIX ETPs', confidence: 0.21 } }),
    );
    await env.store.report(unanswered('what is a vix etn', 'u2'));
    expect((await env.store.get(questionId))?.latestGuess).toEqual({ slug: 'vix-etps', kind: 'article', title: 'VIX ETPs', confidence: 0.21, answered: false });
  });

  it('remembers the editors channel message of a group', async () => {
    const { questionId } = await env.store.report(unanswered('What is a strangle?'));
    expect((await env.store.get(questionId))?.editorsMessage).toBeNull();
    await env.store.setEditorsMessage(questionId, { channelId: 'editors', messageId: 'm1' });
    expect((await env.store.get(questionId))?.editorsMessage).toEqual({ channelId: 'editors', messageId: 'm1' });
  });

  it('computes stats over a period: answer rate, most asked, open queue, articles served', async () => {
    await env.store.recordAsk({ status: 'answered', slug: 'old-article', kind: 'article' });
    await env.store.report(unanswered('ancient question'));
    env.advance(8 * 86_400_000);
    const since = new Date(env.clock.now - 7 * 86_400_000);
    for (const slug of ['what-is-vix', 'what-is-vix', 'vega'])
      await env.store.recordAsk({ status: 'answered', slug, kind: slug === 'vega' ? 'glossary' : 'article', confidence: 0.9 });
    await env.store.recordAsk({ status: 'unanswered' });
    for (const user of ['a', 'b']) await env.store.report(unanswered('What is charm?', user));
    await env.store.report(unanswered('What is vomma?', 'a', { kind: 'flagged', note: 'no' }));

    const stats = await env.store.stats(since);
    expect(stats).toEqual({
      since: since.toISOString(),
      asks: 4,
      answered: 3,
      answerRate: 0.75,
      reports: { unanswered: 2, flagged: 1, not_helpful: 0 },
      mostAsked: [
        { id: 2, question: 'What is charm?', status: 'open', count: 2 },
        { id: 3, question: 'What is vomma?', status: 'open', count: 1 },
      ],
      // 'ancient question' is open too, but was last asked before the period.
      openQueue: { open: 3, askedInPeriod: 2 },
      articles: [
        { slug: 'what-is-vix', kind: 'article', served: 2, helpful: 0, notHelpful: 0, notHelpfulQuestions: [] },
        { slug: 'vega', kind: 'glossary', served: 1, helpful: 0, notHelpful: 0, notHelpfulQuestions: [] },
      ],
    });
    expect((await env.store.stats(new Date(env.clock.now + 1))).answerRate).toBeNull();
  });

  it('counts the votes of the period per article, with the questions most marked not helpful', async () => {
    const vote = (slug: string, question: string, userId: string, value: 'helpful' | 'not_helpful') =>
      env.store.vote({ kind: 'article', slug, question, userId, guildId: 'g1', channelId: 'c1', value });
    await vote('vix-futures', 'old vote', 'u9', 'not_helpful');
    env.advance(8 * 86_400_000);
    const since = new Date(env.clock.now - 7 * 86_400_000);
    for (let i = 0; i < 3; i++) await env.store.recordAsk({ status: 'answered', slug: 'what-is-vix', kind: 'article' });
    await env.store.recordAsk({ status: 'answered', slug: 'vix-futures', kind: 'article' });
    await vote('what-is-vix', 'What is the VIX?', 'u1', 'helpful');
    await vote('what-is-vix', 'What is the VIX?', 'u2', 'helpful');
    await vote('what-is-vix', 'Is the VIX a stock?', 'u3', 'not_helpful');
    await vote('what-is-vix', 'is the vix a stock', 'u4', 'not_helpful');
    await vote('what-is-vix', 'Why is VIX high?', 'u5', 'not_helpful');
    // A changed vote counts once, as what it is now.
    await vote('what-is-vix', 'Why is VIX high?', 'u5', 'helpful');
    await vote('what-is-vix', 'What does VIX measure?', 'u6', 'not_helpful');
    // Voted on but not served in the period: listed after the served ones.
    await vote('skew', 'What is skew?', 'u1', 'not_helpful');

    const stats = await env.store.stats(since, { articles: 3, questionsPerArticle: 2 });
    expect(stats.articles).toEqual([
      {
        slug: 'what-is-vix',
        kind: 'article',
        served: 3,
        helpful: 3,
        notHelpful: 3,
        notHelpfulQuestions: [
          { question: 'Is the VIX a stock?', count: 2 },
          { question: 'What does VIX measure?', count: 1 },
        ],
      },
      // The vote cast before the period is not counted.
      { slug: 'vix-futures', kind: 'article', served: 1, helpful: 0, notHelpful: 0, notHelpfulQuestions: [] },
      { slug: 'skew', kind: 'article', served: 0, helpful: 0, notHelpful: 1, notHelpfulQuestions: [{ question: 'What is skew?', count: 1 }] },
    ]);
    expect((await env.store.stats(since, { articles: 1 })).articles.map((article) => article.slug)).toEqual(['what-is-vix']);
  });

  it('makes the same question reported through two processes at once one group: right count and askers, new once', async () => {
    const other = await env.openAnother();
    const stores = [env.store, other];
    const members = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const outcomes = await Promise.all(members.map((member, i) => stores[i % 2]!.report(unanswered(i % 3 ? 'What is VVIX?' : 'what is vvix', member))));
    expect(outcomes.filter((outcome) => outcome.isNew)).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.questionId)).size).toBe(1);
    expect(outcomes.map((outcome) => outcome.count).sort((a, b) => a - b)).toEqual(members.map((_, i) => i + 1));
    const group = await other.get(outcomes[0]!.questionId);
    expect(group).toMatchObject({ count: 12, askers: 12, kinds: { unanswered: 12, flagged: 0, not_helpful: 0 } });
    expect(await env.store.list({})).toHaveLength(1);
  });

  it("counts one report when the same member's retry arrives through the other process at the same moment", async () => {
    const other = await env.openAnother();
    const outcomes = await Promise.all([env.store.report(unanswered('What is gamma?', 'u1')), other.report(unanswered('what is gamma', 'u1'))]);
    expect(outcomes.map((outcome) => outcome.duplicate).sort()).toEqual([false, true]);
    expect((await env.store.get(outcomes[0]!.questionId))?.count).toBe(1);
  });

  it("gives the report that created a group its editors' post; a repeat may post only a question nobody is posting", async () => {
    const { questionId } = await env.store.report(unanswered('What is a put spread?'));
    // The creator holds the claim: a repeat does not post it meanwhile.
    expect(await env.store.claimEditorsPost(questionId)).toBe(false);
    // Given back (the creator's member was capped): the next repeat may post it, once.
    await env.store.releaseEditorsPost(questionId);
    expect(await env.store.claimEditorsPost(questionId)).toBe(true);
    expect(await env.store.claimEditorsPost(questionId)).toBe(false);
    // A claim whose holder died lapses.
    env.advance(EDITORS_POST_CLAIM_MS + 1);
    expect(await env.store.claimEditorsPost(questionId)).toBe(true);
    await env.store.setEditorsMessage(questionId, { channelId: 'editors', messageId: 'm1' });
    env.advance(EDITORS_POST_CLAIM_MS + 1);
    expect(await env.store.claimEditorsPost(questionId)).toBe(false);
    // Only open questions are posted; there is no post to claim for a group that does not exist.
    const dismissed = await env.store.report(unanswered('best pizza in town'));
    await env.store.releaseEditorsPost(dismissed.questionId);
    await env.store.setStatus(dismissed.questionId, { status: 'dismissed', editorId: 'ed' });
    expect(await env.store.claimEditorsPost(dismissed.questionId)).toBe(false);
    expect(await env.store.claimEditorsPost(999)).toBe(false);
  });

  it('stores a report with an id once: a replay of it is recognised, and it counts at the time it was reported', async () => {
    const reportedAt = new Date(env.clock.now - 60_000);
    const first = await env.store.report(unanswered('What is a butterfly spread?', 'u1'), { reportId: 'r-1', reportedAt });
    expect(first).toMatchObject({ isNew: true, count: 1, duplicate: false });
    expect(await env.store.report(unanswered('What is a butterfly spread?', 'u1'), { reportId: 'r-1', reportedAt })).toMatchObject({
      questionId: first.questionId,
      count: 1,
      duplicate: true,
      alreadyStored: true,
    });
    expect((await env.store.get(first.questionId))?.firstAskedAt).toBe(reportedAt.toISOString());
  });

  it('stores a report once when its write and its replay reach two processes at the same moment', async () => {
    const other = await env.openAnother();
    const identity = { reportId: 'r-race', reportedAt: new Date(env.clock.now) };
    await env.store.report(unanswered('What is vega?', 'u9'));
    const outcomes = await Promise.all([env.store, other].map((store) => store.report(unanswered('what is vega', 'u1'), identity)));
    expect(outcomes.map((outcome) => outcome.alreadyStored ?? false).sort()).toEqual([false, true]);
    expect((await env.store.get(outcomes[0]!.questionId))?.count).toBe(2);
  });
});
