/** /kb-stats as Discord receives it: the per-article figures, and Discord's embed limits whatever the data. */
import { describe, expect, it } from 'vitest';
import { renderStats, type SlugLookup } from '../../src/discord/editorial/render.js';
import { EMBED_LIMITS } from '../../src/discord/limits.js';
import type { ArticleStats, QuestionStats } from '../../src/questions/store.js';
import { expectWithinLimits } from '../support/embed-limits.js';

const lookup: SlugLookup = (slug) => (slug.startsWith('gone') ? null : { title: `Title of ${slug}`, url: `https://vixshield.example/ask/${slug}` });

function stats(articles: ArticleStats[], extra: Partial<QuestionStats> = {}): QuestionStats {
  return {
    since: '2026-03-01T00:00:00.000Z',
    asks: 40,
    answered: 30,
    answerRate: 0.75,
    reports: { unanswered: 10, flagged: 2, not_helpful: 3 },
    mostAsked: [{ id: 7, question: 'What is **charm**?', status: 'open', count: 4 }],
    openQueue: { open: 12, askedInPeriod: 5 },
    articles,
    ...extra,
  };
}

function article(slug: string, extra: Partial<ArticleStats> = {}): ArticleStats {
  return { slug, kind: 'article', served: 9, helpful: 4, notHelpful: 2, notHelpfulQuestions: [{ question: 'Is the VIX a _stock_?', count: 2 }], ...extra };
}

function fields(reply: ReturnType<typeof renderStats>) {
  return reply.embeds![0]!.fields!;
}

describe('renderStats', () => {
  it('shows the answer rate, the open queue and, per article, times served, votes and the questions marked not helpful', () => {
    const reply = renderStats(
      stats([article('what-is-vix'), article('gone-article', { served: 1, helpful: 0, notHelpful: 0, notHelpfulQuestions: [] })]),
      7,
      lookup,
    );
    expect(reply.ephemeral).toBe(true);
    expect(fields(reply)).toEqual([
      { name: 'Answer rate', value: '75% (30 of 40 questions answered)' },
      { name: 'Open queue', value: '12 open questions, 5 asked in this period · /unanswered lists them' },
      { name: 'Passed to the editors', value: '10 unanswered · 2 flagged · 3 not helpful' },
      { name: 'Most asked (unanswered or flagged)', value: '1. **#7** What is \\*\\*charm\\*\\*? · 4×' },
      {
        name: '1. Title of what-is-vix',
        value:
          '[Read the article](https://vixshield.example/ask/what-is-vix) · served 9× · 4 helpful · 2 not helpful\nMarked not helpful: “Is the VIX a \\_stock\\_?” (2×)',
      },
      { name: '2. gone-article', value: '`gone-article` (no longer in the knowledge base) · served 1× · 0 helpful · 0 not helpful' },
    ]);
  });

  it('says so when nothing was served and the queue is empty', () => {
    const reply = renderStats(stats([], { openQueue: { open: 0, askedInPeriod: 0 } }), 1, lookup);
    expect(reply.embeds![0]!.title).toBe('Knowledge base, last day');
    expect(fields(reply).find((field) => field.name === 'Open queue')?.value).toBe('Empty.');
    expect(fields(reply).at(-1)).toEqual({ name: 'Articles', value: 'Nothing was served or voted on in this period.' });
  });

  it('stays within Discord limits with long titles and questions, sharing the room between the articles', () => {
    const longLookup: SlugLookup = (slug) => ({ title: `${slug} ${'very long title '.repeat(40)}`, url: `https://vixshield.example/ask/${slug}` });
    const question = { question: `Why ${'does the VIX do this '.repeat(60)}?`, count: 3 };
    const many = Array.from({ length: 10 }, (_, i) => article(`article-${i}`, { notHelpfulQuestions: [question, question, question] }));
    const reply = renderStats(
      stats(many, { mostAsked: Array.from({ length: 25 }, (_, i) => ({ id: i, question: 'q'.repeat(1000), status: 'open' as const, count: 1 })) }),
      365,
      longLookup,
    );
    const embed = reply.embeds![0]!;
    expectWithinLimits(embed);
    // Every article is shown (none dropped by the final cut), each with its figures and at least one question.
    const articleFields = embed.fields!.filter((field) => /^\d+\. article-/.test(field.name));
    expect(articleFields).toHaveLength(10);
    for (const field of articleFields) {
      expect(field.value).toMatch(/served 9× · 4 helpful · 2 not helpful/);
      expect(field.value).toContain('Marked not helpful: “Why does the VIX');
    }
  });

  it('counts the articles there is no room for instead of dropping them silently', () => {
    const many = Array.from({ length: 30 }, (_, i) => article(`article-${i}`));
    const embed = renderStats(stats(many), 7, lookup).embeds![0]!;
    expectWithinLimits(embed);
    expect(embed.fields).toHaveLength(EMBED_LIMITS.fields);
    expect(embed.fields!.at(-1)).toEqual({ name: 'Not shown', value: expect.stringMatching(/^10 more articles/) });
  });
});
