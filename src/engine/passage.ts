/**
 * The passage(s) of the answering article that answer the question, for the excerpt.
 */
import type { IndexedDoc, SearchIndex } from './index.js';
import type { AnalyzedQuery } from './query.js';
import { RELEVANCE } from './relevance.js';
import { matchedTermIdsOf, prepareQuery, scoreDoc, type PreparedQuery, type ScoredDoc } from './score.js';
import type { RankedResult } from './search.js';
import { analyze } from './text.js';

/** The passage(s) an answer shows, and the question's terms found in them (the excerpt's bold words). */
export interface AnsweringPassages {
  best: ScoredDoc;
  matchedTermIds: number[];
  /** A passage from another section that answers nearly as well, shown after the first (articles only). */
  second?: ScoredDoc;
}

/**
 * The passage of an answering article that answers the question: the article's best-scoring passage is often its
 * general lead, while members ask about one aspect, which its headings name. Each passage's score (relative to the
 * article's best) gets a bonus for the share of the question found in its heading (the lead has none: the title
 * is every passage's). A second passage from another section that does nearly as well is shown too.
 * RELEVANCE.passage has the weights and how they were chosen.
 */
export function answeringPassage(index: SearchIndex, query: AnalyzedQuery, result: RankedResult): AnsweringPassages {
  const passages = result.kind === 'article' ? (index.docsOfArticle.get(result.slug) ?? []) : [];
  if (passages.length <= 1) return result;
  const prepared = prepareQuery(index, query);
  const scored = passages.map((docIndex) => scoreDoc(index, query, index.docs[docIndex]!, prepared));
  const top = Math.max(...scored.map((doc) => doc.score));
  if (top <= 0) return result;
  const valued = scored
    .map((doc) => ({ doc, value: doc.score / top + RELEVANCE.passage.headingWeight * (doc.doc.section ? shareIn(index, prepared, headingTerms(doc.doc)) : 0) }))
    .sort((a, b) => b.value - a.value);
  const best = valued[0]!;
  const second = valued.find((other) => other.doc.doc.section !== best.doc.doc.section && other.value >= RELEVANCE.passage.secondShare * best.value);
  const matchedTermIds = matchedTermIdsOf(best.doc.doc, prepared);
  if (!second) return { best: best.doc, matchedTermIds };
  return { best: best.doc, matchedTermIds: [...new Set([...matchedTermIds, ...matchedTermIdsOf(second.doc.doc, prepared)])], second: second.doc };
}

/** A passage's heading as index terms, remembered per passage (answers read them for every passage of the article). */
const headingTermsOf = new WeakMap<IndexedDoc, ReadonlySet<string>>();
function headingTerms(doc: IndexedDoc): ReadonlySet<string> {
  let terms = headingTermsOf.get(doc);
  if (!terms) headingTermsOf.set(doc, (terms = new Set(analyze(doc.section ?? ''))));
  return terms;
}

/** IDF-weighted share of the question's groups whose every term is among `have` (best alternative). */
function shareIn(index: SearchIndex, prepared: PreparedQuery, have: ReadonlySet<string>): number {
  let total = 0;
  let matched = 0;
  for (const { group, alternatives } of prepared.groups) {
    total += group.weight;
    let best = 0;
    for (const alternative of alternatives) {
      let all = 0;
      let found = 0;
      for (const slot of alternative) {
        all += prepared.idfs[slot]!;
        if (have.has(index.terms[prepared.ids[slot]!]!)) found += prepared.idfs[slot]!;
      }
      if (all > 0) best = Math.max(best, found / all);
    }
    matched += group.weight * best * group.credit;
  }
  return total > 0 ? matched / total : 0;
}
