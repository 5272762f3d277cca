import { search as oramaSearch } from '@orama/orama';
import { findTerm, preanalyzed, type DocKind, type IndexedDoc, type SearchIndex } from './index.js';
import { RELEVANCE } from './relevance.js';
import { isIndexable, stem, STOP_WORDS, surfaceTokens } from './text.js';

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
  /** The groups that are glossary names (a subset of groups). */
  namedGroups: QueryGroup[];
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
  /** The same share, counted in the doc's title, heading, tags or names only. */
  topicCoverage: number;
  /** Term ids of the question found in this doc. */
  matchedTermIds: number[];
}

export interface RankedResult {
  kind: DocKind;
  slug: string;
  title: string;
  score: number;
  coverage: number;
  topicCoverage: number;
  /** The best-scoring passage (articles) or the glossary entry itself. */
  best: ScoredDoc;
}

/** Optimal-string-alignment distance (a transposition is one edit: "chian" -> "chain"), or max + 1 beyond max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known word a misspelt one most likely meant: the closest word of the knowledge base as written (same first
 * letter, within the allowed edits), the more frequent on a tie. Returns null when the closest word is a stop word
 * ("explaned" is "explained": filler, not a topic).
 */
function correctTypo(index: SearchIndex, word: string): string | null | undefined {
  const { minLength, longFrom } = RELEVANCE.typo;
  if (word.length < minLength || !/^\p{L}+$/u.test(word)) return undefined;
  const maxEdits = word.length >= longFrom ? 2 : 1;
  let best: string | undefined;
  let bestDistance = maxEdits + 1;
  let bestCount = 0;
  for (const [candidate, count] of index.surfaceWords) {
    if (candidate[0] !== word[0] || Math.abs(candidate.length - word.length) > maxEdits) continue;
    const distance = editDistance(word, candidate, maxEdits);
    if (distance > maxEdits) continue;
    if (distance < bestDistance || (distance === bestDistance && count > bestCount)) {
      best = candidate;
      bestDistance = distance;
      bestCount = count;
    }
  }
  for (const stopWord of STOP_WORDS) {
    if (stopWord[0] === word[0] && editDistance(word, stopWord, Math.min(maxEdits, bestDistance - 1)) < bestDistance) return null;
  }
  return best;
}

export function analyzeQuery(index: SearchIndex, question: string): AnalyzedQuery {
  const tokens = surfaceTokens(question);
  const termWeights = new Map<number, number>();
  const groups: QueryGroup[] = [];
  const namedGroups: QueryGroup[] = [];
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
        const group = { alternatives, weight: Math.max(...alternatives.map(idfOf)), credit: 1 };
        groups.push(group);
        namedGroups.push(group);
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
    const corrected = correctTypo(index, word);
    const correctedId = corrected ? index.vocabulary.get(stem(corrected)) : undefined;
    if (corrected === null) continue;
    if (correctedId !== undefined) {
      addWeight(correctedId, RELEVANCE.typo.scoreWeight);
      groups.push({ alternatives: [[correctedId]], weight: index.idf[correctedId]!, credit: RELEVANCE.typo.coverageCredit });
    } else {
      unknownWords.push(word);
      groups.push({ alternatives: [], weight: index.unseenIdf, credit: 0 });
    }
  }
  return { termWeights, groups, namedGroups, glossaryMentions, unknownWords };
}

/** IDF-weighted share of the question's groups found in the given term ids (all of a doc, or its topic only). */
function coverageOf(index: SearchIndex, query: AnalyzedQuery, doc: IndexedDoc, ids: Uint32Array): number {
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
        if (findTerm(doc, id, ids) >= 0) have += index.idf[id]!;
      }
      if (all > 0) best = Math.max(best, have / all);
    }
    matched += group.weight * best * group.credit;
  }
  return total > 0 ? matched / total : 0;
}

/** Share of the glossary names in the question that this doc is about (names in its title, heading or tags). */
function namedShare(query: AnalyzedQuery, doc: IndexedDoc): number {
  if (query.namedGroups.length === 0) return 0;
  const about = query.namedGroups.filter((group) =>
    group.alternatives.some((alternative) => alternative.every((id) => findTerm(doc, id, doc.topicIds) >= 0)),
  );
  return about.length / query.namedGroups.length;
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
  const coverage = coverageOf(index, query, doc, doc.termIds);
  const topicCoverage = coverageOf(index, query, doc, doc.topicIds);
  const named =
    1 +
    RELEVANCE.namedTermBoost * namedShare(query, doc) +
    RELEVANCE.topicBoost * topicCoverage +
    (doc.kind === 'glossary' && query.glossaryMentions.includes(doc.slug) ? RELEVANCE.exactEntryBoost / query.glossaryMentions.length : 0);
  return { doc, score: score * named * coverage ** RELEVANCE.coveragePower, coverage, topicCoverage, matchedTermIds };
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
    .map((best) => ({ kind: best.doc.kind, slug: best.doc.slug, title: best.doc.title, score: best.score, coverage: best.coverage, topicCoverage: best.topicCoverage, best }));
}
