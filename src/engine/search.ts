import { search as oramaSearch } from '@orama/orama';
import { findTerm, preanalyzed, type DocKind, type IndexedDoc, type SearchIndex } from './index.js';
import { RELEVANCE } from './relevance.js';
import { isIndexable, stem, surfaceTokens } from './text.js';

/** One idea of the question: a word, or a glossary name with its expansion ("iv" | "implied volatility"). */
interface QueryGroup {
  /** Each alternative is a list of term ids; a group is matched as well as its best-matched alternative. */
  alternatives: number[][];
  /** IDF weight of the group in coverage; unknown words weigh as much as the rarest word. */
  weight: number;
  /** Coverage credit for a match (typo-corrected words earn less than typed ones). */
  credit: number;
}

export interface AnalyzedQuery {
  /** term id -> weight in the BM25F score */
  termWeights: Map<number, number>;
  groups: QueryGroup[];
  /** Glossary slugs the question names by term or alias. */
  glossaryMentions: string[];
  /** Question words the index does not know and could not correct. */
  unknownWords: string[];
}

export interface ScoredDoc {
  doc: IndexedDoc;
  score: number;
  /** IDF-weighted share of the question's ideas found in this doc, 0..1. */
  coverage: number;
  /** Term ids of the question found in this doc. */
  matchedTermIds: number[];
}

export interface RankedResult {
  kind: DocKind;
  slug: string;
  title: string;
  score: number;
  coverage: number;
  /** The best-scoring passage (articles) or the glossary entry itself. */
  best: ScoredDoc;
}

function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** The most frequent known term within the allowed edit distance of an unknown word, if any. */
function correctTypo(index: SearchIndex, term: string): number | undefined {
  const { minLength, longFrom } = RELEVANCE.typo;
  if (term.length < minLength || !/^\p{L}+$/u.test(term)) return undefined;
  const maxEdits = term.length >= longFrom ? 2 : 1;
  let best: number | undefined;
  let bestDistance = Infinity;
  for (let id = 0; id < index.terms.length; id++) {
    const candidate = index.terms[id]!;
    if (Math.abs(candidate.length - term.length) > maxEdits || candidate[0] !== term[0]) continue;
    const distance = boundedEditDistance(term, candidate, maxEdits);
    if (distance > maxEdits) continue;
    if (distance < bestDistance || (distance === bestDistance && index.df[id]! > index.df[best!]!)) {
      best = id;
      bestDistance = distance;
    }
  }
  return best;
}

export function analyzeQuery(index: SearchIndex, question: string): AnalyzedQuery {
  const tokens = surfaceTokens(question);
  const termWeights = new Map<number, number>();
  const groups: QueryGroup[] = [];
  const glossaryMentions: string[] = [];
  const unknownWords: string[] = [];
  const seenTerms = new Set<string>();
  const idfOf = (ids: number[]) => ids.reduce((sum, id) => sum + index.idf[id]!, 0);
  const addWeight = (id: number, weight: number) => termWeights.set(id, Math.max(termWeights.get(id) ?? 0, weight));

  const termIds = (words: string[]) =>
    words.filter(isIndexable).map(stem).flatMap((term) => {
      const id = index.vocabulary.get(term);
      return id === undefined ? [] : [id];
    });

  for (let i = 0; i < tokens.length; ) {
    // Longest glossary name (term or alias) starting here: "a/d line", "iv", "in the money".
    let matched = 0;
    for (let n = Math.min(index.longestGlossaryName, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n);
      const slug = index.glossaryNames.get(phrase.join(' '));
      if (!slug || (n === 1 && !isIndexable(phrase[0]!))) continue;
      const typed = termIds(phrase);
      const glossaryTerm = index.kb.glossaryBySlug.get(slug)!;
      const canonical = termIds(surfaceTokens(glossaryTerm.term));
      const alternatives = [typed, canonical].filter((ids) => ids.length > 0);
      if (alternatives.length > 0) {
        typed.forEach((id) => addWeight(id, 1));
        canonical.forEach((id) => addWeight(id, typed.includes(id) ? 1 : RELEVANCE.expansionWeight));
        groups.push({ alternatives, weight: Math.max(...alternatives.map(idfOf)), credit: 1 });
        if (!glossaryMentions.includes(slug)) glossaryMentions.push(slug);
        phrase.filter(isIndexable).forEach((word) => seenTerms.add(stem(word)));
        matched = n;
      }
      break;
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const word = tokens[i++]!;
    if (!isIndexable(word)) continue;
    const term = stem(word);
    if (seenTerms.has(term)) continue;
    seenTerms.add(term);
    const id = index.vocabulary.get(term);
    if (id !== undefined) {
      addWeight(id, 1);
      groups.push({ alternatives: [[id]], weight: index.idf[id]!, credit: 1 });
      continue;
    }
    const corrected = correctTypo(index, term);
    if (corrected !== undefined) {
      addWeight(corrected, RELEVANCE.typo.weight);
      groups.push({ alternatives: [[corrected]], weight: index.idf[corrected]!, credit: RELEVANCE.typo.weight });
    } else {
      unknownWords.push(word);
      groups.push({ alternatives: [], weight: index.unseenIdf, credit: 0 });
    }
  }
  return { termWeights, groups, glossaryMentions, unknownWords };
}

function coverageOf(index: SearchIndex, query: AnalyzedQuery, doc: IndexedDoc): number {
  let total = 0;
  let matched = 0;
  for (const group of query.groups) {
    total += group.weight;
    let best = 0;
    for (const alternative of group.alternatives) {
      let have = 0;
      let all = 0;
      for (const id of alternative) {
        all += index.idf[id]!;
        if (findTerm(doc, id) >= 0) have += index.idf[id]!;
      }
      if (all > 0) best = Math.max(best, have / all);
    }
    matched += group.weight * best * group.credit;
  }
  return total > 0 ? matched / total : 0;
}

function scoreDoc(index: SearchIndex, query: AnalyzedQuery, doc: IndexedDoc): ScoredDoc {
  const k1 = RELEVANCE.k1;
  let score = 0;
  const matchedTermIds: number[] = [];
  for (const [id, weight] of query.termWeights) {
    const position = findTerm(doc, id);
    if (position < 0) continue;
    const tf = doc.weightedTf[position]!;
    score += weight * index.idf[id]! * ((tf * (k1 + 1)) / (tf + k1));
    matchedTermIds.push(id);
  }
  const coverage = coverageOf(index, query, doc);
  const named = doc.kind === 'glossary' && query.glossaryMentions.includes(doc.slug) ? 1 + RELEVANCE.namedTermBoost : 1;
  return { doc, score: score * named * coverage ** RELEVANCE.coveragePower, coverage, matchedTermIds };
}

/**
 * Ranks articles and glossary entries for a question: Orama retrieves candidate passages by the question's terms,
 * the candidates are re-scored (BM25F x coverage), and each article keeps its best passage.
 */
export function rankQuestion(index: SearchIndex, query: AnalyzedQuery, limit: number = RELEVANCE.maxResults): RankedResult[] {
  if (query.termWeights.size === 0) return [];
  const found = oramaSearch(index.db, {
    term: preanalyzed([...query.termWeights.keys()].map((id) => index.terms[id]!)),
    properties: ['title', 'section', 'body'],
    relevance: RELEVANCE.oramaRelevance,
    threshold: 1,
    limit: RELEVANCE.candidates,
  });
  if (found instanceof Promise) throw new Error('Orama search went async: a component or hook is async');

  const bestByTarget = new Map<string, ScoredDoc>();
  for (const hit of found.hits) {
    const scored = scoreDoc(index, query, index.docs[Number(hit.id)]!);
    const key = `${scored.doc.kind}:${scored.doc.slug}`;
    const current = bestByTarget.get(key);
    if (!current || scored.score > current.score) bestByTarget.set(key, scored);
  }
  return [...bestByTarget.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((best) => ({ kind: best.doc.kind, slug: best.doc.slug, title: best.doc.title, score: best.score, coverage: best.coverage, best }));
}
