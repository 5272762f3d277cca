import { describe, expect, it } from 'vitest';
import { judgeConfidence } from '../../src/engine/confidence.js';
import { RELEVANCE } from '../../src/engine/relevance.js';
import type { AnalyzedQuery, RankedResult, ScoredDoc } from '../../src/engine/search.js';

const A = RELEVANCE.answer;

interface Features {
  score: number;
  coverage: number;
  topicCoverage: number;
  askedMatch?: number;
}

/** A best passage about none of the question's words (only the first kind of evidence can apply). */
const NO_TOPIC = { doc: { termIds: new Uint32Array(0), topicIds: new Uint32Array(0) }, aboutNamed: 0 } as unknown as ScoredDoc;

/** RankedResult-like inputs: only the features the confidence rule reads are meaningful. */
function ranked(...features: Features[]): RankedResult[] {
  return features.map((f, i) => ({ kind: 'article', slug: `article-${i}`, title: `Article ${i}`, askedMatch: 0, ...f, best: NO_TOPIC, matchedTermIds: [] }));
}

/** A query of `groups` ideas, the first `named` of which are glossary names. */
function query(groups = 3, named = 0): AnalyzedQuery {
  const all = Array.from({ length: groups }, (_, i) => ({ alternatives: [[i]], weight: 1, credit: 1 }));
  return { termWeights: new Map(all.map((_, i) => [i, 1])), groups: all, namedGroups: all.slice(0, named), unknownWords: [] };
}

/** The documented formula, to check the rule against. */
function expectedValue(coverage: number, topic: number, margin: number): number {
  return A.coverageWeight * coverage + A.topicWeight * topic + A.marginWeight * Math.min(1, margin * A.marginScale);
}

/** Best result with the given coverage and topic coverage, and a runner-up that leaves it the given margin. */
function withMargin(coverage: number, topicCoverage: number, margin: number): RankedResult[] {
  return ranked({ score: 10, coverage, topicCoverage }, { score: 10 * (1 - margin), coverage: 0.5, topicCoverage: 0.5 });
}

describe('judgeConfidence', () => {
  it('answers nothing when there is no result or the best score is not positive', () => {
    expect(judgeConfidence([], query())).toEqual({ value: 0, coverage: 0, topicCoverage: 0, margin: 0, answerable: false });
    expect(judgeConfidence(ranked({ score: 0, coverage: 1, topicCoverage: 1 }), query()).answerable).toBe(false);
  });

  it('answers a full match with no runner-up (margin 1) at the top confidence', () => {
    const confidence = judgeConfidence(ranked({ score: 5, coverage: 1, topicCoverage: 1 }), query());
    expect(confidence.margin).toBe(1);
    expect(confidence.value).toBeCloseTo(A.coverageWeight + A.topicWeight + A.marginWeight, 3);
    expect(confidence.answerable).toBe(true);
  });

  it('computes the margin against the runner-up and the value by the documented weights, rounded to 3 places', () => {
    const confidence = judgeConfidence(withMargin(0.8, 0.4, 0.1), query());
    expect(confidence.margin).toBeCloseTo(0.1, 10);
    expect(confidence.coverage).toBe(0.8);
    expect(confidence.topicCoverage).toBe(0.4);
    expect(confidence.value).toBeCloseTo(expectedValue(0.8, 0.4, 0.1), 3);
    expect(Math.round(confidence.value * 1000)).toBe(confidence.value * 1000);
  });

  it('clamps the margin at 0 when the runner-up scores as much or more', () => {
    expect(judgeConfidence(ranked({ score: 4, coverage: 1, topicCoverage: 1 }, { score: 4, coverage: 1, topicCoverage: 1 }), query()).margin).toBe(0);
    expect(judgeConfidence(ranked({ score: 4, coverage: 1, topicCoverage: 1 }, { score: 9, coverage: 1, topicCoverage: 1 }), query()).margin).toBe(0);
  });

  it('needs coverage of at least minCoverage, however strong the rest', () => {
    const at = judgeConfidence(withMargin(A.minCoverage, 1, 1), query());
    expect(at.answerable).toBe(true);
    const below = judgeConfidence(withMargin(A.minCoverage - 0.01, 1, 1), query());
    expect(below.value).toBeGreaterThanOrEqual(A.minConfidence);
    expect(below.answerable).toBe(false);
  });

  it('needs topic coverage of at least minTopicCoverage, however strong the rest', () => {
    expect(judgeConfidence(withMargin(1, A.minTopicCoverage, 1), query()).answerable).toBe(true);
    const below = judgeConfidence(withMargin(1, A.minTopicCoverage - 0.01, 1), query());
    expect(below.value).toBeGreaterThanOrEqual(A.minConfidence);
    expect(below.answerable).toBe(false);
  });

  it('needs the combined confidence to reach minConfidence when both floors pass', () => {
    // With full coverage and the least topic coverage allowed, the margin decides.
    const base = A.coverageWeight + A.topicWeight * A.minTopicCoverage;
    const needed = (A.minConfidence - base) / A.marginWeight / A.marginScale;
    expect(needed).toBeGreaterThan(0);
    expect(needed * A.marginScale).toBeLessThan(1);
    const above = judgeConfidence(withMargin(1, A.minTopicCoverage, needed * 1.05), query());
    const below = judgeConfidence(withMargin(1, A.minTopicCoverage, needed * 0.95), query());
    expect(above.value).toBeGreaterThanOrEqual(A.minConfidence);
    expect(above.answerable).toBe(true);
    expect(below.value).toBeLessThan(A.minConfidence);
    expect(below.answerable).toBe(false);
  });

  it('agrees with the thresholds over a grid of features', () => {
    const steps = [0, 0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.9, 1];
    let answered = 0;
    let refused = 0;
    for (const coverage of steps) {
      for (const topic of steps) {
        for (const margin of [0, 0.05, 0.1, 0.25, 0.5, 1]) {
          const confidence = judgeConfidence(withMargin(coverage, topic, margin), query());
          const expected =
            coverage >= A.minCoverage && topic >= A.minTopicCoverage && Math.round(expectedValue(coverage, topic, margin) * 1e9) / 1e9 >= A.minConfidence;
          expect(confidence.answerable, `coverage ${coverage}, topic ${topic}, margin ${margin}`).toBe(expected);
          if (expected) answered++;
          else refused++;
        }
      }
    }
    expect(answered).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  describe('the named-terms and topic-mass evidence', () => {
    // Groups: a glossary name (weight 3, ids 0-1), two plain words (weight 2 each, ids 2 and 3), an unknown word.
    function longQuery(options: { nameCorrected?: boolean; wordCorrected?: boolean } = {}): AnalyzedQuery {
      const name = { alternatives: [[0, 1]], weight: 3, credit: options.nameCorrected ? RELEVANCE.typo.coverageCredit : 1, slug: 'iron-condor' };
      const groups = [
        name,
        { alternatives: [[2]], weight: 2, credit: options.wordCorrected ? RELEVANCE.typo.coverageCredit : 1 },
        { alternatives: [[3]], weight: 2, credit: 1 },
        { alternatives: [], weight: 7, credit: 0 },
      ];
      return { termWeights: new Map([0, 1, 2, 3].map((id) => [id, 1])), groups, namedGroups: [name], unknownWords: ['zzz'] };
    }
    /** A best result below the first kind of evidence (topic coverage 0.1), about the given topic term ids. */
    function weakBest(topicIds: number[], aboutNamed: number, coverage = 0.5): RankedResult[] {
      const doc = { termIds: Uint32Array.from([0, 1, 2, 3]), topicIds: Uint32Array.from(topicIds) } as unknown as ScoredDoc['doc'];
      return [{ kind: 'article', slug: 'a', title: 'A', score: 5, coverage, topicCoverage: 0.1, askedMatch: 0, best: { doc, aboutNamed } as ScoredDoc, matchedTermIds: [] }];
    }

    it('answers when the result is about every glossary name and the names are a good part of the question', () => {
      // Named share 3/14 = 0.21 < 0.3 with the unknown word; without it 3/7 = 0.43.
      const withoutUnknown = { ...longQuery(), groups: longQuery().groups.slice(0, 3) };
      expect(judgeConfidence(weakBest([0, 1], 1), withoutUnknown).answerable).toBe(true);
      expect(judgeConfidence(weakBest([0, 1], 0.5), withoutUnknown).answerable).toBe(false);
      expect(judgeConfidence(weakBest([0, 1], 1, A.named.minCoverage - 0.01), withoutUnknown).answerable).toBe(false);
      expect(judgeConfidence(weakBest([0, 1], 1), longQuery()).answerable).toBe(false);
      // A name the engine guessed from a misspelling is not a name the member used.
      const guessed = longQuery({ nameCorrected: true });
      expect(judgeConfidence(weakBest([0, 1], 1), { ...guessed, groups: guessed.groups.slice(0, 3) }).answerable).toBe(false);
    });

    it('answers when the result carries a large IDF mass of the typed words in its topic fields', () => {
      // The figures below assume a threshold above 3 (the name alone) and at most 5 (the name and one word).
      expect(A.topicMass.min).toBeGreaterThan(3);
      expect(A.topicMass.min).toBeLessThanOrEqual(5);
      expect(judgeConfidence(weakBest([0, 1, 2], 0), longQuery()).answerable).toBe(true);
      expect(judgeConfidence(weakBest([0, 1], 0), longQuery()).answerable).toBe(false);
      // A corrected word does not count: the name alone remains.
      expect(judgeConfidence(weakBest([0, 1, 2], 0), longQuery({ wordCorrected: true })).answerable).toBe(false);
      expect(judgeConfidence(weakBest([0, 1, 2], 0, A.topicMass.minCoverage - 0.01), longQuery()).answerable).toBe(false);
    });
  });

  it('answers a weak passage match when the question closely matches one of the article\'s asked phrasings', () => {
    // Coverage and topic coverage far below the first kind of evidence; no names, no topic terms.
    const weak = (askedMatch: number) => ranked({ score: 5, coverage: 0.3, topicCoverage: 0, askedMatch });
    expect(judgeConfidence(weak(0), query()).answerable).toBe(false);
    expect(judgeConfidence(weak(A.askedMatch - 0.01), query()).answerable).toBe(false);
    expect(judgeConfidence(weak(A.askedMatch), query()).answerable).toBe(true);
    // Still no answer to a lone word, however well it matches.
    expect(judgeConfidence(weak(1), query(1, 0)).answerable).toBe(false);
  });

  it('does not answer a lone word unless it is a glossary name', () => {
    const strong = ranked({ score: 5, coverage: 1, topicCoverage: 1 });
    expect(judgeConfidence(strong, query(1, 0)).answerable).toBe(false);
    expect(judgeConfidence(strong, query(1, 1)).answerable).toBe(true);
    expect(judgeConfidence(strong, query(2, 0)).answerable).toBe(true);
  });
});
