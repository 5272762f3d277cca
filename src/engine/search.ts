/**
 * Ranking: the candidates from Orama re-scored, the best passage of each article and each glossary entry, best
 * first. The engine's entry point for a question is analyzeQuery (query.ts), then rankQuestion here.
 */
import { askedMatch, phrasingMatch } from './asked.js';
import type { DocKind, SearchIndex } from './index.js';
import { findCandidates } from './orama/candidates.js';
import type { AnalyzedQuery } from './query.js';
import { RELEVANCE } from './relevance.js';
import { matchedTermIdsOf, prepareQuery, scoreDoc, type ScoredDoc } from './score.js';

export interface RankedResult {
  kind: DocKind;
  slug: string;
  title: string;
  score: number;
  coverage: number;
  topicCoverage: number;
  /**
   * The closest match of the question with one of the article's `asked` phrasings when it reaches the threshold
   * (see askedMatch), else 0; 0 for entries.
   */
  askedMatch: number;
  /** The best-scoring passage (articles) or the glossary entry itself. */
  best: ScoredDoc;
  /** The question's scored terms found in `best` itself (its article's phrasings aside): the excerpt's bold words. */
  matchedTermIds: number[];
}

/**
 * Ranks articles and glossary entries for a question: Orama's index yields candidate passages by the question's
 * terms, the candidates are re-scored (BM25F x coverage), and each article keeps its best passage. An article whose
 * `asked` phrasings match the question well enough to answer it (see askedMatch) but that had no candidate passage
 * has its passages scored too: Orama does not index the phrasings, so their words alone bring no candidate.
 */
export function rankQuestion(index: SearchIndex, query: AnalyzedQuery, limit: number = RELEVANCE.maxResults): RankedResult[] {
  if (query.termWeights.size === 0) return [];
  // The best passage of each article, and each glossary entry, by slug (an article and an entry can share one).
  const bestByKind = { article: new Map<string, ScoredDoc>(), glossary: new Map<string, ScoredDoc>() };
  const prepared = prepareQuery(index, query);
  const keepBest = (scored: ScoredDoc) => {
    const best = bestByKind[scored.doc.kind];
    const current = best.get(scored.doc.slug);
    if (!current || scored.score > current.score) best.set(scored.doc.slug, scored);
  };
  for (const docIndex of findCandidates(index, query)) keepBest(scoreDoc(index, query, index.docs[docIndex]!, prepared));
  const asked = askedMatch(index, query);
  for (const [slug] of asked) {
    if (bestByKind.article.has(slug)) continue;
    for (const docIndex of index.docsOfArticle.get(slug) ?? []) keepBest(scoreDoc(index, query, index.docs[docIndex]!, prepared));
  }
  return [...bestByKind.article.values(), ...bestByKind.glossary.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((best) => ({
      kind: best.doc.kind,
      slug: best.doc.slug,
      title: best.doc.title,
      score: best.score,
      coverage: best.coverage,
      topicCoverage: best.topicCoverage,
      askedMatch:
        best.doc.kind === 'article' ? Math.max(asked.get(best.doc.slug) ?? 0, phrasingMatch(index, query, index.titlePhrasings.get(best.doc.slug)!)) : 0,
      best,
      matchedTermIds: matchedTermIdsOf(best.doc, prepared),
    }));
}
