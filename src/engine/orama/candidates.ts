/**
 * Candidate passages for a question from Orama's index: through Orama's own search (the reference), and the fast
 * path that reads Orama's postings directly (OramaPostings) and must return exactly the same candidates.
 */
import { search as oramaSearch } from '@orama/orama';
import type { SearchIndex } from '../index.js';
import type { AnalyzedQuery } from '../query.js';
import { RELEVANCE } from '../relevance.js';
import { preanalyzed } from './build.js';
import { SEARCH_FIELDS, termPostings } from './postings.js';

/** Candidate doc indexes through Orama's own search: the reference the fast path must equal (and its fallback). */
export function oramaSearchCandidates(index: SearchIndex, query: AnalyzedQuery): number[] {
  const found = oramaSearch(index.db, {
    term: preanalyzed([...query.termWeights.keys()].map((id) => index.terms[id]!)),
    properties: [...SEARCH_FIELDS],
    relevance: RELEVANCE.oramaRelevance,
    threshold: 1,
    limit: RELEVANCE.candidates,
  });
  if (found instanceof Promise) throw new Error('Orama search went async: a component or hook is async');
  return found.hits.map((hit) => Number(hit.id));
}

/** `a` ranks below `b` in Orama's order: lower score, or the same score and a higher internal id. */
function ranksBelow(scores: Float64Array, a: number, b: number): boolean {
  return scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
}

/**
 * The same candidates as `oramaSearchCandidates`, read from Orama's index without its search pipeline (why: see
 * OramaPostings in postings.ts). Same BM25 (Orama's formula and parameters), same summation order (field, then query
 * token), same top N by score then internal id, so the floating-point scores and the order are identical.
 */
export function findCandidates(index: SearchIndex, query: AnalyzedQuery, limit: number = RELEVANCE.candidates): number[] {
  const postings = index.postings;
  if (!postings) return oramaSearchCandidates(index, query);
  const { k, d } = RELEVANCE.oramaRelevance;
  const { scores, touched } = postings;
  let touchedCount = 0;
  for (const field of postings.fields) {
    const { tf: tfs, lengthNorm } = field;
    for (const id of query.termWeights.keys()) {
      const postingsOfTerm = termPostings(postings, field, index.terms[id]!, id);
      if (!postingsOfTerm) continue;
      const { docIds, idf } = postingsOfTerm;
      for (const docId of docIds) {
        const tf = tfs[docId]!;
        const bm25 = (idf * (d + tf * (k + 1))) / (tf + lengthNorm[docId]!);
        if (scores[docId] === 0) touched[touchedCount++] = docId;
        scores[docId] = scores[docId]! + bm25;
      }
    }
  }
  // Keep the best `limit` in a min-heap (the root is the worst kept), then sort those: O(n log limit), not a full sort.
  const heap: number[] = [];
  for (let t = 0; t < touchedCount; t++) {
    const docId = touched[t]!;
    if (heap.length < limit) {
      heap.push(docId);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!ranksBelow(scores, heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (ranksBelow(scores, heap[0]!, docId)) {
      heap[0] = docId;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let worst = i;
        if (left < heap.length && ranksBelow(scores, heap[left]!, heap[worst]!)) worst = left;
        if (right < heap.length && ranksBelow(scores, heap[right]!, heap[worst]!)) worst = right;
        if (worst === i) break;
        [heap[i], heap[worst]] = [heap[worst]!, heap[i]!];
        i = worst;
      }
    }
  }
  heap.sort((x, y) => (ranksBelow(scores, x, y) ? 1 : ranksBelow(scores, y, x) ? -1 : 0));
  const candidates = heap.map((docId) => docId - 1);
  for (let t = 0; t < touchedCount; t++) scores[touched[t]!] = 0;
  return candidates;
}
