import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { loadEngine, type Engine } from '../../src/engine/engine.js';
import { analyzeQuery, findCandidates, oramaSearchCandidates } from '../../src/engine/search.js';
import { readQuestionSet } from '../../src/eval/questions.js';

/**
 * The fast candidate path reads Orama's index without its search pipeline (index.ts, OramaPostings) and caches each
 * term's postings on first use; it must return exactly what Orama's own search returns: the same ids, in the same
 * order, the first time and when the cache answers.
 */
describe('findCandidates against Orama search (shipped knowledge base)', () => {
  let engine: Engine;
  let questions: string[];
  beforeAll(async () => {
    engine = await loadEngine(path.join(PROJECT_ROOT, 'knowledge'));
    const sets = await Promise.all(['questions', 'holdout'].map((set) => readQuestionSet(path.join(PROJECT_ROOT, 'tests', 'eval', set))));
    questions = sets.flat().map((q) => q.question);
  });

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
