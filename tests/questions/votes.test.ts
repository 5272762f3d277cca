/** Members' votes on answers, in a real database: one per member and answer, changeable, durable. */
import { expect, it } from 'vitest';
import type { VoteInput } from '../../src/questions/store.js';
import { describeStores } from './backends.js';

function vote(value: VoteInput['value'], userId = 'u1', extra: Partial<VoteInput> = {}): VoteInput {
  return { kind: 'article', slug: 'what-is-vix', question: 'What is the VIX?', value, userId, guildId: 'g1', channelId: 'c1', ...extra };
}

describeStores('votes', (env) => {
  it('stores a first vote and says there was none before', async () => {
    expect(await env.store.voteOf(vote('helpful'), 'u1')).toBeNull();
    expect(await env.store.vote(vote('helpful'))).toEqual({ value: 'helpful', previous: null });
    expect(await env.store.voteOf(vote('helpful'), 'u1')).toBe('helpful');
    expect(await env.voteRows()).toEqual([{ answer_kind: 'article', slug: 'what-is-vix', question: 'What is the VIX?', user_id: 'u1', helpful: true }]);
  });

  it('keeps one vote per member and answer: voting again replaces it, the other button flips it', async () => {
    await env.store.vote(vote('helpful'));
    expect(await env.store.vote(vote('helpful'))).toEqual({ value: 'helpful', previous: 'helpful' });
    env.advance(60_000);
    expect(await env.store.vote(vote('not_helpful'))).toEqual({ value: 'not_helpful', previous: 'helpful' });
    expect(await env.store.vote(vote('helpful'))).toEqual({ value: 'helpful', previous: 'not_helpful' });
    expect(await env.voteRows()).toEqual([expect.objectContaining({ user_id: 'u1', helpful: true })]);
  });

  it('treats the same question in another case, punctuation or with filler as the same answer', async () => {
    await env.store.vote(vote('helpful'));
    expect(await env.store.vote(vote('not_helpful', 'u1', { question: 'hi, what is the vix please' }))).toMatchObject({ previous: 'helpful' });
    expect(await env.voteRows()).toHaveLength(1);
  });

  it('keeps separate votes for other members, other articles, other questions and glossary terms', async () => {
    await env.store.vote(vote('helpful'));
    await env.store.vote(vote('not_helpful', 'u2'));
    await env.store.vote(vote('helpful', 'u1', { slug: 'vix-futures' }));
    await env.store.vote(vote('helpful', 'u1', { question: 'Why does the VIX spike?' }));
    await env.store.vote(vote('helpful', 'u1', { kind: 'glossary' }));
    expect(await env.voteRows()).toHaveLength(5);
    expect(await env.store.voteOf(vote('helpful', 'u2'), 'u2')).toBe('not_helpful');
    expect(await env.store.voteOf(vote('helpful'), 'u1')).toBe('helpful');
  });

  it('cleans and caps the question as the queue does', async () => {
    await env.store.vote(vote('helpful', 'u1', { question: `What\u0000 is   the VIX?${'?'.repeat(2000)}` }));
    const [row] = (await env.voteRows()) as Array<{ question: string }>;
    expect(row!.question.startsWith('What is the VIX?')).toBe(true);
    expect(row!.question.length).toBeLessThanOrEqual(1000);
  });

  it('is committed when vote resolves: another connection reads it', async () => {
    await env.store.vote(vote('not_helpful'));
    const other = await env.openAnother();
    expect(await other.voteOf(vote('helpful'), 'u1')).toBe('not_helpful');
  });

  it("keeps one vote when the member's two clicks arrive through two processes at once", async () => {
    const other = await env.openAnother();
    const outcomes = await Promise.all([env.store.vote(vote('helpful')), other.vote(vote('not_helpful'))]);
    // One of them was first (previous: null); the other replaced it.
    expect(outcomes.map((outcome) => outcome.previous).filter((previous) => previous === null)).toHaveLength(1);
    const rows = await env.voteRows();
    expect(rows).toHaveLength(1);
  });
});
