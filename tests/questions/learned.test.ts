/**
 * Learned phrasings in the question store. Written against the QuestionStore interface only, run for each backend
 * (describeStores: SQLite, and PostgreSQL when TEST_DATABASE_URL answers).
 */
import { beforeEach, expect, it } from 'vitest';
import { MAX_QUESTION_CHARS } from '../../src/engine/question.js';
import type { QuestionStore } from '../../src/questions/store.js';
import { describeStores } from './backends.js';
import { unanswered } from './helpers.js';

describeStores('learned phrasings', (env) => {
  let store: QuestionStore;
  beforeEach(() => {
    store = env.store;
  });

  it('learns the question of a group for an article, once however often it is resolved', async () => {
    const { questionId } = await store.report(unanswered('Why does my banana melt on Fridays?'));
    expect(await store.learnedPhrasings()).toEqual([]);
    const learned = await store.learn(questionId, 'theta-decay', 'editor-1');
    expect(learned).toEqual([
      {
        id: expect.any(Number),
        slug: 'theta-decay',
        text: 'Why does my banana melt on Fridays?',
        groupId: questionId,
        resolvedBy: 'editor-1',
        createdAt: '2026-03-02T10:00:00.000Z',
        exportedAt: null,
      },
    ]);
    env.advance(60_000);
    expect(await store.learn(questionId, 'theta-decay', 'editor-2')).toEqual(learned);
    expect(await store.learnedPhrasings()).toEqual(learned);
  });

  it("keeps one phrasing per normalised text among the group's reports", async () => {
    const first = await store.report(unanswered('Why does my banana melt on Fridays?', 'u1'));
    await store.report(unanswered('why does my BANANA melt on fridays', 'u2'));
    await store.report(unanswered('hi, why does my banana melt on fridays please', 'u3'));
    const learned = await store.learn(first.questionId, 'theta-decay', 'editor-1');
    expect(learned?.map((row) => row.text)).toEqual(['Why does my banana melt on Fridays?']);
  });

  it('stores plain, capped text', async () => {
    const { questionId } = await store.report(unanswered(`why\u0000 does   theta\u200b ${'x'.repeat(2 * MAX_QUESTION_CHARS)}`));
    const [row] = (await store.learn(questionId, 'theta-decay', 'editor-1')) ?? [];
    expect(row?.text.startsWith('why does theta')).toBe(true);
    expect(row!.text.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
  });

  it('says null for a group that does not exist', async () => {
    expect(await store.learn(999, 'theta-decay', 'editor-1')).toBeNull();
    expect(await store.unlearn(999)).toEqual([]);
  });

  it('learns for the new article when a group is resolved with another one', async () => {
    const { questionId } = await store.report(unanswered('Why does my banana melt on Fridays?'));
    await store.learn(questionId, 'gamma', 'editor-1');
    await store.learn(questionId, 'theta-decay', 'editor-2');
    expect((await store.learnedPhrasings()).map((row) => [row.slug, row.resolvedBy])).toEqual([['theta-decay', 'editor-2']]);
  });

  it('unlearns a group, and leaves the other groups alone', async () => {
    const a = await store.report(unanswered('Why does my banana melt on Fridays?'));
    const b = await store.report(unanswered('is the four wing bird a good trade'));
    await store.learn(a.questionId, 'theta-decay', 'editor-1');
    await store.learn(b.questionId, 'iron-condor', 'editor-1');
    expect((await store.unlearn(a.questionId)).map((row) => row.text)).toEqual(['Why does my banana melt on Fridays?']);
    expect((await store.learnedPhrasings()).map((row) => row.slug)).toEqual(['iron-condor']);
    expect(await store.unlearn(a.questionId)).toEqual([]);
  });

  it('lists by article; exported phrasings leave the list unless asked for, and stay exported', async () => {
    const a = await store.report(unanswered('Why does my banana melt on Fridays?'));
    const b = await store.report(unanswered('is the four wing bird a good trade'));
    const [theta] = (await store.learn(a.questionId, 'theta-decay', 'editor-1'))!;
    const [condor] = (await store.learn(b.questionId, 'iron-condor', 'editor-1'))!;
    expect((await store.learnedPhrasings()).map((row) => row.slug)).toEqual(['iron-condor', 'theta-decay']);

    env.advance(3_600_000);
    await store.markExported([theta!.id]);
    expect(await store.learnedPhrasings()).toEqual([condor]);
    const all = await store.learnedPhrasings({ includeExported: true });
    expect(all.map((row) => [row.slug, row.exportedAt])).toEqual([
      ['iron-condor', null],
      ['theta-decay', '2026-03-02T11:00:00.000Z'],
    ]);
    // Learned again by another resolve: still exported (it is in the knowledge file already).
    env.advance(60_000);
    await store.markExported([theta!.id]);
    await store.learn(a.questionId, 'theta-decay', 'editor-2');
    expect((await store.learnedPhrasings({ includeExported: true })).find((row) => row.id === theta!.id)?.exportedAt).toBe('2026-03-02T11:00:00.000Z');
  });

  it('is durable: another connection sees what was learned', async () => {
    const { questionId } = await store.report(unanswered('Why does my banana melt on Fridays?'));
    await store.learn(questionId, 'theta-decay', 'editor-1');
    expect((await (await env.openAnother()).learnedPhrasings()).map((row) => row.text)).toEqual(['Why does my banana melt on Fridays?']);
  });
});
