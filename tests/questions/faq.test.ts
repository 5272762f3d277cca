/**
 * /faq's data: the (article, question) pairs the store knows, with their figures and the editors' pins and hides,
 * and the rule that features those answered well. Written against the QuestionStore interface, per backend (describeStores).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { answersWell, featuredQuestions } from '../../src/questions/faq.js';
import type { FaqEntry, QuestionStore, VoteInput } from '../../src/questions/store.js';
import { describeStores } from './backends.js';
import { unanswered } from './helpers.js';

const CONDOR = 'what-is-an-iron-condor';
const THETA = 'theta-decay';

describeStores('faqCandidates', (env) => {
  let store: QuestionStore;
  beforeEach(() => {
    store = env.store;
  });

  const served = (question: string, slug = CONDOR) => store.recordAsk({ status: 'answered', slug, kind: 'article', confidence: 0.9, question });
  const vote = (question: string, value: VoteInput['value'], userId: string, slug = CONDOR) =>
    store.vote({ kind: 'article', slug, question, value, userId, guildId: 'g', channelId: 'c' });

  it('counts answers and votes per article and question, grouping repeats as the queue does', async () => {
    await served('How do I set up an iron condor?');
    await served('how do i set up an iron condor');
    await served('hi, how do I set up an iron condor please');
    await vote('How do I set up an IRON condor', 'helpful', 'u1');
    await vote('How do I set up an iron condor?', 'not_helpful', 'u2');
    // Unanswered asks and glossary answers have no place in /faq.
    await store.recordAsk({ status: 'unanswered', confidence: 0.2, question: 'what is the best pizza' });
    await store.recordAsk({ status: 'answered', slug: 'contango', kind: 'glossary', question: 'what is contango' });
    const entries = await store.faqCandidates();
    expect(entries).toEqual([
      {
        key: expect.stringMatching(/^[\w-]{12}$/),
        slug: CONDOR,
        question: 'How do I set up an iron condor?',
        served: 3,
        helpful: 1,
        notHelpful: 1,
        resolvedReports: 0,
        resolved: false,
        pinned: false,
        hidden: false,
      },
    ]);
  });

  it('lists questions resolved by an editor, with their reports, in the first wording', async () => {
    const { questionId } = await store.report(unanswered('Why does my banana melt on Fridays?', 'u1'));
    await store.report(unanswered('why does my banana melt on fridays', 'u2'));
    await store.setStatus(questionId, { status: 'answered', articleSlug: THETA, editorId: 'e1' });
    await served('why does my banana melt on fridays??', THETA);
    const [entry] = await store.faqCandidates();
    expect(entry).toMatchObject({ slug: THETA, question: 'Why does my banana melt on Fridays?', served: 1, resolvedReports: 2, resolved: true });
  });

  it('pins, hides and resets an entry, under a key that stays the same', async () => {
    await served('How do I set up an iron condor?');
    const [before] = await store.faqCandidates();
    await store.setFaqState(before!, 'pinned', 'e1');
    expect(await store.faqCandidates()).toEqual([{ ...before, pinned: true }]);
    await store.setFaqState({ slug: CONDOR, question: 'how do i set up an iron condor' }, 'hidden', 'e2');
    expect(await store.faqCandidates()).toEqual([{ ...before, hidden: true }]);
    await store.setFaqState(before!, null, 'e1');
    expect(await store.faqCandidates()).toEqual([before]);
  });

  it('keeps a pinned entry listed even with nothing else to show for it', async () => {
    await store.setFaqState({ slug: THETA, question: 'Why does theta speed up?' }, 'pinned', 'e1');
    expect(await store.faqCandidates()).toEqual([expect.objectContaining({ slug: THETA, question: 'Why does theta speed up?', served: 0, pinned: true })]);
  });
});

describe('featuredQuestions', () => {
  const entry = (question: string, figures: Partial<FaqEntry> = {}): FaqEntry => ({
    key: question,
    slug: CONDOR,
    question,
    served: 0,
    helpful: 0,
    notHelpful: 0,
    resolvedReports: 0,
    resolved: false,
    pinned: false,
    hidden: false,
    ...figures,
  });

  it('features what is answered often, voted helpful or resolved, unless voted down more than up or hidden', () => {
    expect(answersWell(entry('once', { served: 1 }))).toBe(false);
    expect(answersWell(entry('often', { served: 2 }))).toBe(true);
    expect(answersWell(entry('liked', { served: 1, helpful: 1 }))).toBe(true);
    expect(answersWell(entry('resolved', { resolved: true, resolvedReports: 1 }))).toBe(true);
    expect(answersWell(entry('disliked', { served: 9, helpful: 1, notHelpful: 2 }))).toBe(false);
    expect(answersWell(entry('hidden', { served: 9, hidden: true }))).toBe(false);
    expect(answersWell(entry('pinned', { pinned: true }))).toBe(true);
  });

  it('lists pinned entries first, then the most asked and liked, within the limit and the filter', () => {
    const entries = [
      entry('served twice', { served: 2 }),
      entry('liked', { served: 1, helpful: 2 }),
      entry('resolved', { resolved: true, resolvedReports: 3 }),
      entry('pinned', { pinned: true }),
      entry('once', { served: 1 }),
    ];
    expect(featuredQuestions(entries).map((e) => e.question)).toEqual(['pinned', 'liked', 'resolved', 'served twice']);
    expect(featuredQuestions(entries, { limit: 2 }).map((e) => e.question)).toEqual(['pinned', 'liked']);
    expect(featuredQuestions(entries, { include: (e) => e.question.startsWith('re') }).map((e) => e.question)).toEqual(['resolved']);
  });
});
