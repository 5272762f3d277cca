import { describe, expect, it } from 'vitest';
import { confidenceFeatures, judgeConfidence, type ConfidenceFeatures } from '../../src/engine/confidence.js';
import { RELEVANCE } from '../../src/engine/relevance.js';
import type { AnalyzedQuery } from '../../src/engine/query.js';
import type { ScoredDoc } from '../../src/engine/score.js';
import type { RankedResult } from '../../src/engine/search.js';

const A = RELEVANCE.answer;
const M = A.model;

interface Features {
  score: number;
  coverage: number;
  topicCoverage: number;
  askedMatch?: number;
  kind?: 'article' | 'glossary';
}

/** A best passage about none of the question's words. */
const NO_TOPIC = { doc: { termIds: new Uint32Array(0), topicIds: new Uint32Array(0) }, aboutNamed: 0 } as unknown as ScoredDoc;

/** RankedResult-like inputs: only the features the confidence rule reads are meaningful. */
function ranked(...features: Features[]): RankedResult[] {
  return features.map((f, i) => ({ kind: 'article', slug: `article-${i}`, title: `Article ${i}`, askedMatch: 0, ...f, best: NO_TOPIC, matchedTermIds: [] }));
}

/** A query of `groups` ideas, the first `named` of which are glossary names, plus `unknown` unknown words. */
function query(groups = 3, named = 0, unknown = 0): AnalyzedQuery {
  const known = Array.from({ length: groups }, (_, i) => ({ alternatives: [[i]], weight: 1, credit: 1, ...(i < named ? { slug: `term-${i}` } : {}) }));
  const unknownGroups = Array.from({ length: unknown }, () => ({ alternatives: [], weight: 1, credit: 0 }));
  return { termWeights: new Map(known.map((_, i) => [i, 1])), groups: [...known, ...unknownGroups], namedGroups: known.slice(0, named), unknownWords: [] };
}

/** The model as documented in RELEVANCE.answer.model: logistic over the features. */
function probability(features: ConfidenceFeatures): number {
  let z = M.bias;
  for (const [name, weight] of Object.entries(M.weights)) z += weight * features[name as keyof ConfidenceFeatures];
  return 1 / (1 + Math.exp(-z));
}

/** Best result with the given coverage and topic coverage, and a runner-up that leaves it the given margin. */
function withMargin(coverage: number, topicCoverage: number, margin: number): RankedResult[] {
  return ranked({ score: 10, coverage, topicCoverage }, { score: 10 * (1 - margin), coverage: 0.5, topicCoverage: 0.5 });
}

describe('confidenceFeatures', () => {
  it('has no features without a positive best result', () => {
    expect(confidenceFeatures([], query())).toBeNull();
    expect(confidenceFeatures(ranked({ score: 0, coverage: 1, topicCoverage: 1 }), query())).toBeNull();
  });

  it('reads the margin over the runner-up (scaled, clamped to 0..1), 1 without one', () => {
    expect(confidenceFeatures(ranked({ score: 5, coverage: 1, topicCoverage: 1 }), query())!.margin).toBe(1);
    expect(confidenceFeatures(withMargin(1, 1, 0.1), query())!.margin).toBeCloseTo(Math.min(1, 0.1 * A.marginScale), 10);
    expect(confidenceFeatures(withMargin(1, 1, 0.9), query())!.margin).toBe(1);
    expect(confidenceFeatures(ranked({ score: 4, coverage: 1, topicCoverage: 1 }, { score: 9, coverage: 1, topicCoverage: 1 }), query())!.margin).toBe(0);
  });

  it('counts the share of the question the knowledge base does not know, and the kind of the best result', () => {
    const features = confidenceFeatures(ranked({ score: 5, coverage: 0.5, topicCoverage: 0.5, kind: 'glossary' }), query(3, 0, 1))!;
    expect(features.unknownShare).toBeCloseTo(1 / 4, 10);
    expect(features.glossary).toBe(1);
    expect(confidenceFeatures(ranked({ score: 5, coverage: 0.5, topicCoverage: 0.5 }), query())!.unknownShare).toBe(0);
  });

  it('keeps the four rules as features: coverage, named terms, rare topic words, an asked phrasing', () => {
    const full = confidenceFeatures(withMargin(1, 1, 1), query())!;
    expect(full.coversQuestion).toBe(1);
    expect(confidenceFeatures(withMargin(A.minCoverage - 0.01, 1, 1), query())!.coversQuestion).toBe(0);
    expect(confidenceFeatures(withMargin(1, A.minTopicCoverage - 0.01, 1), query())!.coversQuestion).toBe(0);
    const asked = (askedMatch: number) => confidenceFeatures(ranked({ score: 5, coverage: 0.3, topicCoverage: 0, askedMatch }), query())!;
    expect(asked(A.askedMatch).askedThatWay).toBe(1);
    expect(asked(A.askedMatch - 0.01).askedThatWay).toBe(0);
    expect(asked(0.7).askedMatch).toBe(0.7);
  });
});

describe('judgeConfidence', () => {
  it('answers nothing when there is no result or the best score is not positive', () => {
    expect(judgeConfidence([], query())).toEqual({ value: 0, coverage: 0, topicCoverage: 0, margin: 0, answerable: false, evidence: 'no result' });
    expect(judgeConfidence(ranked({ score: 0, coverage: 1, topicCoverage: 1 }), query()).answerable).toBe(false);
  });

  it('reports the model probability, rounded to 3 places, and the features it read', () => {
    const results = withMargin(0.8, 0.4, 0.1);
    const confidence = judgeConfidence(results, query());
    const features = confidenceFeatures(results, query())!;
    expect(confidence.value).toBeCloseTo(probability(features), 3);
    expect(Math.round(confidence.value * 1000)).toBe(confidence.value * 1000);
    expect(confidence).toMatchObject({ coverage: 0.8, topicCoverage: 0.4, margin: features.margin });
    expect(confidence.evidence).toContain(`p ${probability(features).toFixed(2)}`);
  });

  it('answers when the probability reaches the threshold, or the lower one when a rule holds, over a grid', () => {
    const steps = [0, 0.2, 0.4, 0.6, 0.8, 1];
    let answered = 0;
    let refused = 0;
    for (const coverage of steps) {
      for (const topic of steps) {
        for (const margin of [0, 0.1, 0.5, 1]) {
          for (const askedMatch of [0, A.askedMatch, 0.9]) {
            const results = ranked({ score: 10, coverage, topicCoverage: topic, askedMatch }, { score: 10 * (1 - margin), coverage: 0.5, topicCoverage: 0.5 });
            const features = confidenceFeatures(results, query())!;
            const rule = features.coversQuestion + features.aboutNamedTerms + features.aboutRareWords + features.askedThatWay > 0;
            const p = probability(features);
            const expected = p >= M.threshold || (rule && p >= M.thresholdWithRule);
            expect(judgeConfidence(results, query()).answerable, `coverage ${coverage}, topic ${topic}, margin ${margin}, asked ${askedMatch}`).toBe(expected);
            if (expected) answered++;
            else refused++;
          }
        }
      }
    }
    expect(answered).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('is more confident with more of the question covered, a larger lead and a closer asked phrasing', () => {
    const value = (coverage: number, topic: number, margin: number, askedMatch = 0) =>
      judgeConfidence(
        ranked({ score: 10, coverage, topicCoverage: topic, askedMatch }, { score: 10 * (1 - margin), coverage: 0.5, topicCoverage: 0.5 }),
        query(),
      ).value;
    expect(value(0.9, 0.5, 0.2)).toBeGreaterThan(value(0.5, 0.5, 0.2));
    expect(value(0.9, 0.8, 0.2)).toBeGreaterThan(value(0.9, 0.2, 0.2));
    expect(value(0.9, 0.5, 0.2)).toBeGreaterThan(value(0.9, 0.5, 0.01));
    expect(value(0.5, 0.2, 0.1, 0.8)).toBeGreaterThan(value(0.5, 0.2, 0.1, 0));
  });

  it('is less confident when much of the question is unknown to the knowledge base', () => {
    const results = withMargin(0.7, 0.5, 0.2);
    expect(judgeConfidence(results, query(3, 0, 3)).value).toBeLessThan(judgeConfidence(results, query(3, 0, 0)).value);
  });

  it('does not answer a lone word unless it is a glossary name', () => {
    // The best result is about the question's words (in its topic fields).
    const about = { doc: { termIds: Uint32Array.from([0, 1]), topicIds: Uint32Array.from([0, 1]) }, aboutNamed: 1 } as unknown as ScoredDoc;
    const strong = ranked({ score: 5, coverage: 1, topicCoverage: 1 }).map((result) => ({ ...result, best: about }));
    expect(judgeConfidence(strong, query(1, 0)).answerable).toBe(false);
    expect(judgeConfidence(strong, query(1, 0)).evidence).toBe('one word');
    expect(judgeConfidence(strong, query(1, 1)).answerable).toBe(true);
    // Two words are a question: the model decides (no 'one word' verdict).
    expect(judgeConfidence(strong, query(2, 0)).evidence).not.toBe('one word');
  });
});
