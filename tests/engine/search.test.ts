import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { loadEngine, type Engine } from '../../src/engine/engine.js';
import { RELEVANCE } from '../../src/engine/relevance.js';
import { askedMatch, phrasingMatch } from '../../src/engine/asked.js';
import { findCandidates, oramaSearchCandidates } from '../../src/engine/orama/candidates.js';
import { analyzeQuery } from '../../src/engine/query.js';
import { readQuestionSet } from '../../src/eval/questions.js';

/** The shipped knowledge base and every question of both question sets, for the equivalence checks below. */
let engine: Engine;
let questions: string[];
beforeAll(async () => {
  engine = await loadEngine(path.join(PROJECT_ROOT, 'knowledge'));
  const sets = await Promise.all(['questions', 'holdout'].map((set) => readQuestionSet(path.join(PROJECT_ROOT, 'tests', 'eval', set))));
  questions = sets.flat().map((q) => q.question);
});

/**
 * The fast candidate path reads Orama's index without its search pipeline (index.ts, OramaPostings) and caches each
 * term's postings on first use; it must return exactly what Orama's own search returns: the same ids, in the same
 * order, the first time and when the cache answers.
 */
describe('findCandidates against Orama search (shipped knowledge base)', () => {
  it('uses the fast path', () => {
    expect(engine.index.postings).not.toBeNull();
  });

  it('returns the same ids in the same order on every question of both sets, cold and cached', () => {
    let compared = 0;
    for (const round of ['cold', 'cached']) {
      for (const question of questions) {
        const query = analyzeQuery(engine.index, question);
        if (query.termWeights.size === 0) continue;
        const expected = oramaSearchCandidates(engine.index, query);
        expect(findCandidates(engine.index, query), `${round}: ${question}`).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(engine.index.postings!.fields.some((field) => field.byTerm.size > 0)).toBe(true);
  }, 60_000);
});

/**
 * askedMatch accumulates over scratch arrays and stops reaching new phrasings once the question's remaining words
 * cannot make one reach the threshold; it must give what the definition gives, computed phrasing by phrasing.
 */
describe('askedMatch against its definition (shipped knowledge base)', () => {
  /** The harmonic mean of the question's share in the phrasing and the phrasing's share in the question. */
  function definition(question: string): Map<string, number> {
    const { index } = engine;
    const query = analyzeQuery(index, question);
    const total = query.groups.reduce((sum, group) => sum + group.weight, 0);
    const best = new Map<string, number>();
    index.asked.forEach((phrasing) => {
      const has = (id: number) => phrasing.termIds.includes(id);
      let share = 0;
      const counted = new Set<number>();
      for (const group of query.groups) {
        const found = group.alternatives.find((ids) => ids.length > 0 && ids.every(has));
        if (!found) continue;
        share += group.weight * group.credit;
        for (const id of found) counted.add(id);
      }
      const q = total > 0 ? share / total : 0;
      const f = [...counted].reduce((sum, id) => sum + index.idf[id]!, 0) / phrasing.mass;
      const match = q + f > 0 ? (2 * q * f) / (q + f) : 0;
      if (match >= RELEVANCE.answer.askedMatch && match > (best.get(phrasing.slug) ?? 0)) best.set(phrasing.slug, match);
    });
    return best;
  }

  it('finds the same articles with the same match on every question of both sets', () => {
    let matched = 0;
    for (const question of questions) {
      const expected = definition(question);
      const actual = askedMatch(engine.index, analyzeQuery(engine.index, question));
      expect([...actual.keys()].sort(), question).toEqual([...expected.keys()].sort());
      for (const [slug, match] of expected) expect(actual.get(slug), `${question}: ${slug}`).toBeCloseTo(match, 12);
      if (expected.size > 0) matched++;
    }
    // Enough questions match some phrasing for the comparison to mean something.
    expect(matched).toBeGreaterThan(100);
  }, 60_000);

  it('phrasingMatch (one phrasing at a time, used for titles) gives the same matches', () => {
    for (const question of questions.slice(0, 200)) {
      const query = analyzeQuery(engine.index, question);
      const best = new Map<string, number>();
      for (const phrasing of engine.index.asked) {
        const match = phrasingMatch(engine.index, query, phrasing);
        if (match > (best.get(phrasing.slug) ?? 0)) best.set(phrasing.slug, match);
      }
      const expected = definition(question);
      expect([...best.keys()].sort(), question).toEqual([...expected.keys()].sort());
      for (const [slug, match] of expected) expect(best.get(slug), `${question}: ${slug}`).toBeCloseTo(match, 12);
    }
  }, 60_000);
});
