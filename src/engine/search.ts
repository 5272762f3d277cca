import { search as oramaSearch } from '@orama/orama';
import { findTerm, preanalyzed, SEARCH_FIELDS, termPostings, type AskedField, type AskedPhrasing, type DocKind, type IndexedDoc, type SearchIndex } from './index.js';
import { RELEVANCE } from './relevance.js';
import { analyze, isIndexable, stem, STOP_WORDS, surfaceTokens } from './text.js';

/** One idea of the question: a word, or a glossary name with its expansion ("iv" | "implied volatility"). */
interface QueryGroup {
  /** Each alternative is a list of term ids; a group is matched as well as its best-matched alternative. */
  alternatives: number[][];
  /** IDF weight of the group in coverage; unknown words weigh as much as the rarest word. */
  weight: number;
  /** Coverage credit for a match (typo-corrected words earn less than typed ones). */
  credit: number;
  /** The glossary slug, when the group is a glossary name or alias. */
  slug?: string;
}

export interface AnalyzedQuery {
  /** term id -> weight in the BM25F score */
  termWeights: Map<number, number>;
  groups: QueryGroup[];
  /** The groups that are glossary names (a subset of groups). */
  namedGroups: QueryGroup[];
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
  /** Share of the glossary names in the question that this doc is about (in its title, heading, tags or names). */
  aboutNamed: number;
}

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

/** DP rows reused by every call: typo correction and glossary fuzzy matching call this thousands of times. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal-string-alignment distance (a transposition is one edit: "chian" -> "chain"), or max + 1 beyond max.
 * Compares `a` with the first `bLength` characters of `b` (the whole of `b` by default). Allocation-free (why: the
 * bench profile showed the per-call arrays of the former version in glossary fuzzy matching; same recurrence,
 * same early exit, same results).
 */
export function editDistance(a: string, b: string, max: number, bLength: number = b.length): number {
  if (Math.abs(a.length - bLength) > max) return max + 1;
  if (rows[0]!.length <= bLength) rows = [new Int32Array(bLength * 2), new Int32Array(bLength * 2), new Int32Array(bLength * 2)];
  let [before, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= bLength; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= bLength; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[bLength]!;
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
  for (const [candidate, count] of index.surfaceWordsByInitial.get(word[0]!) ?? []) {
    if (Math.abs(candidate.length - word.length) > maxEdits) continue;
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

/**
 * A question word the index does not know, as the word it most likely stands for: a misspelling (see correctTypo)
 * or, failing that, a clipped word ("diff", "prem"): the most frequent known word it begins, when it has at least
 * `typo.minLength` letters. null: the word is filler; undefined: no idea.
 */
function correctUnknown(index: SearchIndex, word: string): string | null | undefined {
  const corrected = correctTypo(index, word);
  if (corrected !== undefined) return corrected;
  if (word.length < RELEVANCE.typo.minLength || !/^\p{L}+$/u.test(word)) return undefined;
  let best: string | undefined;
  let bestCount = 0;
  for (const [candidate, count] of index.surfaceWordsByInitial.get(word[0]!) ?? []) {
    if (candidate.length > word.length && candidate.startsWith(word) && count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * correctUnknown, remembered per index. Why: a correction scans the known words with its first letter (the largest
 * part of reading a question in the bench profile), and members repeat their typos and clipped words. Bounded:
 * dropped at MAX_REMEMBERED_CORRECTIONS words; a reload builds a new index, so a new memory.
 */
const correctionsByIndex = new WeakMap<SearchIndex, Map<string, string | null | undefined>>();
const MAX_REMEMBERED_CORRECTIONS = 20_000;

function rememberedCorrection(index: SearchIndex, word: string): string | null | undefined {
  let corrections = correctionsByIndex.get(index);
  if (!corrections) correctionsByIndex.set(index, (corrections = new Map()));
  if (corrections.has(word)) return corrections.get(word);
  const corrected = correctUnknown(index, word);
  if (corrections.size >= MAX_REMEMBERED_CORRECTIONS) corrections.clear();
  corrections.set(word, corrected);
  return corrected;
}

/** A question token after correction: the word to read, and whether it was corrected (it then earns less). */
interface ReadToken {
  word: string;
  corrected: boolean;
  /** How much the word counts: 1 in the sentence that asks, less in the story around it (see questionFocus). */
  focus: number;
  /** The word is unknown to the knowledge base and could not be corrected (it is kept as typed). */
  unknown: boolean;
}

function readTokens(index: SearchIndex, question: string): ReadToken[] {
  const read: ReadToken[] = [];
  for (const { text, focus } of questionFocus(question)) {
    for (const token of surfaceTokens(text)) {
      if (!isIndexable(token) || index.vocabulary.has(stem(token))) {
        read.push({ word: token, corrected: false, unknown: false, focus });
        continue;
      }
      const corrected = rememberedCorrection(index, token);
      if (corrected === null) continue;
      if (corrected !== undefined && index.vocabulary.has(stem(corrected))) read.push({ word: corrected, corrected: true, unknown: false, focus });
      else read.push({ word: token, corrected: false, unknown: true, focus });
    }
  }
  return read;
}

const SENTENCE_END = /(?<=[.?!])\s+(?=\S)/u;

/**
 * The parts of a question with how much each counts. A question of one sentence counts whole. In a longer one the
 * sentences that ask (ending in "?") and the first sentence (a forum post's title) are the focus; the story around
 * them counts RELEVANCE.focus.story of its weight, in the score and in coverage alike.
 */
export function questionFocus(question: string): Array<{ text: string; focus: number }> {
  const sentences = question.split(SENTENCE_END);
  if (sentences.length <= 1) return [{ text: question, focus: 1 }];
  return sentences.map((text, i) => ({ text, focus: i === 0 || text.trimEnd().endsWith('?') ? 1 : RELEVANCE.focus.story }));
}

export function analyzeQuery(index: SearchIndex, question: string): AnalyzedQuery {
  // Misspelt and clipped words are corrected first, so a corrected word can still be part of a glossary name
  // ("backwardaton" -> backwardation, "iron condr" -> iron condor).
  const tokens = readTokens(index, question);
  const termWeights = new Map<number, number>();
  const groups: QueryGroup[] = [];
  const namedGroups: QueryGroup[] = [];
  const unknownWords: string[] = [];
  const seenTerms = new Set<string>();
  const { scoreWeight, coverageCredit } = RELEVANCE.typo;
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
    for (let n = Math.min(index.longestGlossaryNameFrom.get(tokens[i]!.word) ?? 0, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n);
      const words = phrase.map((token) => token.word);
      const slug = index.glossaryNames.get(words.join(' '));
      if (!slug || (n === 1 && !isIndexable(words[0]!))) continue;
      const typed = termIds(words);
      const glossaryTerm = index.kb.glossaryBySlug.get(slug)!;
      const canonical = termIds(surfaceTokens(glossaryTerm.term));
      const alternatives = [typed, canonical].filter((ids) => ids.length > 0);
      if (alternatives.length > 0) {
        const corrected = phrase.some((token) => token.corrected);
        const focus = Math.max(...phrase.map((token) => token.focus));
        const typedWeight = (corrected ? scoreWeight : 1) * focus;
        typed.forEach((id) => addWeight(id, typedWeight));
        canonical.forEach((id) => addWeight(id, typed.includes(id) ? typedWeight : RELEVANCE.expansionWeight * typedWeight));
        const group = { alternatives, weight: Math.max(...alternatives.map(idfOf)) * focus, credit: corrected ? coverageCredit : 1, slug };
        groups.push(group);
        namedGroups.push(group);
        words.filter(isIndexable).forEach((word) => seenTerms.add(stem(word)));
        matched = n;
      }
      break;
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const { word, corrected, unknown, focus } = tokens[i++]!;
    if (!isIndexable(word)) continue;
    const term = stem(word);
    if (seenTerms.has(term)) continue;
    seenTerms.add(term);
    if (unknown) {
      unknownWords.push(word);
      groups.push({ alternatives: [], weight: index.unseenIdf * focus, credit: 0 });
      continue;
    }
    const id = index.vocabulary.get(term)!;
    addWeight(id, (corrected ? scoreWeight : 1) * focus);
    groups.push({ alternatives: [[id]], weight: index.idf[id]! * focus, credit: corrected ? coverageCredit : 1 });
  }
  return { termWeights, groups, namedGroups, unknownWords };
}

/**
 * The question's term ids as slots 0..n-1, and its groups as slot lists, prepared once per question. Why: the bench
 * profile of the answer path had the re-scoring of the candidates as its largest part, mostly the same
 * binary searches repeated (each term looked up for the score, the coverage, the topic coverage and the named
 * share). Now each doc looks each term up once in its terms and once in its topic terms; sums are made in the
 * same order as before, so scores are bit-identical.
 */
interface PreparedQuery {
  ids: number[];
  /** Weight in the BM25F score per slot; NaN for a slot that is only in a group (not scored). */
  weights: number[];
  groups: Array<{ group: QueryGroup; alternatives: number[][] }>;
  named: number[][][];
  /** Per slot: in the passage (or entry) itself; in it or in its article's `asked` phrasings; in its topic fields. */
  inDoc: Uint8Array;
  inDocOrAsked: Uint8Array;
  inTopic: Uint8Array;
  /** IDF per slot. */
  idfs: Float64Array;
  /** Per slot: 1 if some passage or entry has the term (words only members' phrasings use are in none). */
  inKnowledge: Uint8Array;
  /** This question's run number in askedPositionScratch (see positionsIn). */
  askedRun: number;
}

function prepareQuery(index: SearchIndex, query: AnalyzedQuery): PreparedQuery {
  const slotOf = new Map<number, number>();
  const ids: number[] = [];
  const weights: number[] = [];
  for (const [id, weight] of query.termWeights) {
    slotOf.set(id, ids.length);
    ids.push(id);
    weights.push(weight);
  }
  const slotsOf = (group: QueryGroup) =>
    group.alternatives.map((alternative) =>
      alternative.map((id) => {
        let slot = slotOf.get(id);
        if (slot === undefined) {
          slotOf.set(id, (slot = ids.length));
          ids.push(id);
          weights.push(Number.NaN);
        }
        return slot;
      }),
    );
  const groups = query.groups.map((group) => ({ group, alternatives: slotsOf(group) }));
  const named = query.namedGroups.map(slotsOf);
  const idfs = new Float64Array(ids.length);
  const inKnowledge = new Uint8Array(ids.length);
  for (let slot = 0; slot < ids.length; slot++) {
    idfs[slot] = index.idf[ids[slot]!]!;
    inKnowledge[slot] = index.df[ids[slot]!]! > 0 ? 1 : 0;
  }
  const flags = () => new Uint8Array(ids.length);
  return { ids, weights, groups, named, inDoc: flags(), inDocOrAsked: flags(), inTopic: flags(), idfs, inKnowledge, askedRun: 0 };
}

/**
 * IDF-weighted share of the question's groups found in the doc: in its own terms, in its topic terms, and (when
 * `withAsked`) in its terms or its article's phrasings; a group counts as its best-matched alternative. One pass
 * over the groups for the three (scoreDoc's largest part after the term lookups). Results in `coverages`:
 * [coverage, topic coverage, ranking coverage].
 */
const coverages = new Float64Array(3);
function coveragesOf(prepared: PreparedQuery, withAsked: boolean): Float64Array {
  const { inDoc, inTopic, inDocOrAsked, idfs } = prepared;
  let total = 0;
  let matched = 0;
  let matchedTopic = 0;
  let matchedRanking = 0;
  for (const { group, alternatives } of prepared.groups) {
    total += group.weight;
    let best = 0;
    let bestTopic = 0;
    let bestRanking = 0;
    for (const alternative of alternatives) {
      let have = 0;
      let haveTopic = 0;
      let haveRanking = 0;
      let all = 0;
      for (const slot of alternative) {
        const idf = idfs[slot]!;
        all += idf;
        if (inDoc[slot]) have += idf;
        if (inTopic[slot]) haveTopic += idf;
        if (inDocOrAsked[slot]) haveRanking += idf;
      }
      if (all > 0) {
        best = Math.max(best, have / all);
        bestTopic = Math.max(bestTopic, haveTopic / all);
        bestRanking = Math.max(bestRanking, haveRanking / all);
      }
    }
    matched += group.weight * best * group.credit;
    matchedTopic += group.weight * bestTopic * group.credit;
    matchedRanking += group.weight * bestRanking * group.credit;
  }
  coverages[0] = total > 0 ? matched / total : 0;
  coverages[1] = total > 0 ? matchedTopic / total : 0;
  coverages[2] = withAsked ? (total > 0 ? matchedRanking / total : 0) : coverages[0];
  return coverages;
}

/** IDF-weighted share of the question that is a name of the given glossary term ("what is contango?" -> 1). */
function questionShareNaming(query: AnalyzedQuery, slug: string): number {
  let naming = 0;
  let total = 0;
  for (const group of query.groups) {
    total += group.weight;
    if (group.slug === slug) naming += group.weight;
  }
  return total > 0 ? naming / total : 0;
}

/** Share of the glossary names in the question that this doc is about (names in its title, heading or tags). */
function namedShare(prepared: PreparedQuery): number {
  if (prepared.named.length === 0) return 0;
  let about = 0;
  for (const alternatives of prepared.named) {
    if (alternatives.some((alternative) => alternative.every((slot) => prepared.inTopic[slot] === 1))) about++;
  }
  return about / prepared.named.length;
}

/**
 * Each query slot's position in the `asked` fields met so far, at [field ordinal x slots + slot], or -1; filled per
 * article on its first passage (its passages share one field). Reused by every question (queries are synchronous):
 * a field's positions are this question's when its `filled` entry holds the question's run number. Why scratch:
 * a positions array per question was an off-heap allocation that showed in the bench.
 */
const askedPositionScratch = { positions: new Int32Array(0), filled: new Uint32Array(0), run: 0 };

/** Offset of an article's `asked` field in askedPositionScratch.positions, its positions looked up on first use. */
function positionsIn(index: SearchIndex, asked: AskedField, prepared: PreparedQuery): number {
  const scratch = askedPositionScratch;
  const slots = prepared.ids.length;
  if (prepared.askedRun === 0) {
    if (scratch.filled.length < index.askedFieldCount || scratch.run >= 0xfffffff0) {
      scratch.filled = new Uint32Array(Math.max(index.askedFieldCount, scratch.filled.length));
      scratch.run = 0;
    }
    if (scratch.positions.length < index.askedFieldCount * slots) scratch.positions = new Int32Array(index.askedFieldCount * slots * 2);
    prepared.askedRun = ++scratch.run;
  }
  const offset = asked.ordinal * slots;
  if (scratch.filled[asked.ordinal] !== prepared.askedRun) {
    scratch.filled[asked.ordinal] = prepared.askedRun;
    for (let slot = 0; slot < slots; slot++) scratch.positions[offset + slot] = findTerm(asked, prepared.ids[slot]!);
  }
  return offset;
}

function scoreDoc(index: SearchIndex, query: AnalyzedQuery, doc: IndexedDoc, prepared: PreparedQuery): ScoredDoc {
  const k1 = RELEVANCE.k1;
  let score = 0;
  const { ids, weights, inDoc, inDocOrAsked, inTopic } = prepared;
  const asked = doc.asked;
  const askedOffset = asked ? positionsIn(index, asked, prepared) : -1;
  const askedPositions = askedPositionScratch.positions;
  let askedOnly = false;
  for (let slot = 0; slot < ids.length; slot++) {
    const id = ids[slot]!;
    const position = prepared.inKnowledge[slot] ? findTerm(doc, id) : -1;
    const askedPosition = askedOffset >= 0 ? askedPositions[askedOffset + slot]! : -1;
    inDoc[slot] = position >= 0 ? 1 : 0;
    inDocOrAsked[slot] = position >= 0 || askedPosition >= 0 ? 1 : 0;
    if (position < 0 && askedPosition >= 0) askedOnly = true;
    inTopic[slot] = position >= 0 && findTerm(doc, id, doc.topicIds) >= 0 ? 1 : 0;
    const weight = weights[slot]!;
    if ((position < 0 && askedPosition < 0) || Number.isNaN(weight)) continue;
    const tf = (position >= 0 ? doc.weightedTf[position]! : 0) + (askedPosition >= 0 ? asked!.weightedTf[askedPosition]! : 0);
    score += weight * index.idf[id]! * ((tf * (k1 + 1)) / (tf + k1));
  }
  // Ranking counts the article's `asked` phrasings as part of the passage; the coverage reported does not.
  const shares = coveragesOf(prepared, askedOnly);
  const coverage = shares[0]!;
  const topicCoverage = shares[1]!;
  const rankingCoverage = shares[2]!;
  const aboutNamed = namedShare(prepared);
  // For a glossary entry: the share of the question that is its name (boosts it, and keeps it focused on it).
  const naming = doc.kind === 'glossary' ? questionShareNaming(query, doc.slug) : 0;
  const named = 1 + RELEVANCE.namedTermBoost * aboutNamed + RELEVANCE.topicBoost * topicCoverage + RELEVANCE.exactEntryBoost * naming;
  const entryFocus = doc.kind === 'glossary' ? 1 - RELEVANCE.entryFocus + RELEVANCE.entryFocus * naming : 1;
  return { doc, score: score * named * entryFocus * rankingCoverage ** RELEVANCE.coveragePower, coverage, topicCoverage, aboutNamed };
}

/**
 * The question's scored terms that are in the doc itself (its `asked` field aside), for the excerpt's bold words.
 * Looked up for the results rankQuestion returns only (an array per scored candidate was garbage).
 */
function matchedTermIdsOf(doc: IndexedDoc, prepared: PreparedQuery): number[] {
  const matched: number[] = [];
  for (let slot = 0; slot < prepared.ids.length; slot++) {
    if (!Number.isNaN(prepared.weights[slot]!) && findTerm(doc, prepared.ids[slot]!) >= 0) matched.push(prepared.ids[slot]!);
  }
  return matched;
}

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
 * OramaPostings in index.ts). Same BM25 (Orama's formula and parameters), same summation order (field, then query
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
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!ranksBelow(scores, heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (ranksBelow(scores, heap[0]!, docId)) {
      heap[0] = docId;
      for (let i = 0; ; ) {
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

/**
 * The articles whose closest `asked` phrasing matches the question at least RELEVANCE.answer.askedMatch, with that
 * match: the harmonic mean of the share of the question (IDF-weighted, its groups as in coverage) found in the
 * phrasing and the share of the phrasing (IDF-weighted) found in the question. Why both: "what is the rule of 16"
 * must match a phrasing that says little else, and a phrasing that shares one common word with a long question must
 * not count. Only matches that reach the threshold are used (answerability, extra candidates), so the search stops
 * reaching new phrasings once the question's words left cannot make one reach it.
 */
export function askedMatch(index: SearchIndex, query: AnalyzedQuery): Map<string, number> {
  const best = new Map<string, number>();
  const { groups } = query;
  let total = 0;
  for (const group of groups) total += group.weight;
  if (index.asked.length === 0 || total === 0) return best;
  const threshold = RELEVANCE.answer.askedMatch;
  const scratch = askedScratch(index.asked.length);
  const { share, mass, lastGroup, stamp } = scratch;
  const run = ++scratch.run;
  const touched: number[] = [];
  // A term met twice (a name's own words typed again, "vix of vix") counts once in a phrasing's mass: deduped.
  const repeated = repeatedTerms(query);
  let repeatedSeen: Map<number, Set<number>> | undefined;
  const credit = (p: number, g: number, alternative: number[]) => {
    lastGroup[p] = g;
    share[p] = share[p]! + groups[g]!.weight * groups[g]!.credit;
    for (const id of alternative) {
      if (repeated.has(id)) {
        const seen = (repeatedSeen ??= new Map()).get(p) ?? new Set<number>();
        repeatedSeen.set(p, seen);
        if (seen.has(id)) continue;
        seen.add(id);
      }
      mass[p] = mass[p]! + index.idf[id]!;
    }
  };
  // The harmonic mean of q and f <= 1 is at most 2q / (q + 1): a match reaching the threshold needs a question share
  // q >= threshold / (2 - threshold). Heaviest groups first: a phrasing first reached when the groups left weigh
  // less than that cannot reach it, so from then on only the phrasings already reached are updated (which also
  // skips the long phrasing lists of the commonest words).
  const minShare = (total * threshold) / (2 - threshold);
  const order = groups.map((_, g) => g).sort((a, b) => groups[b]!.weight - groups[a]!.weight);
  let remaining = total;
  for (const g of order) {
    const reachNew = remaining >= minShare;
    remaining -= groups[g]!.weight;
    // As in coverage: a group is found through its first alternative whose terms are all in the phrasing.
    for (const alternative of groups[g]!.alternatives) {
      if (alternative.length === 0) continue;
      if (reachNew) {
        for (const p of index.askedByTerm.get(alternative[0]!) ?? []) {
          if (stamp[p] !== run) {
            stamp[p] = run;
            share[p] = 0;
            mass[p] = 0;
            lastGroup[p] = -1;
            touched.push(p);
          }
          if (lastGroup[p] !== g && containsAll(index.asked[p]!, alternative, 1)) credit(p, g, alternative);
        }
      } else {
        for (const p of touched) if (lastGroup[p] !== g && containsAll(index.asked[p]!, alternative, 0)) credit(p, g, alternative);
      }
    }
  }
  for (const p of touched) {
    if (share[p]! < minShare) continue;
    const phrasing = index.asked[p]!;
    const q = share[p]! / total;
    const f = phrasing.mass > 0 ? mass[p]! / phrasing.mass : 0;
    const match = q + f > 0 ? (2 * q * f) / (q + f) : 0;
    if (match >= threshold && match > (best.get(phrasing.slug) ?? 0)) best.set(phrasing.slug, match);
  }
  return best;
}

/** Whether a phrasing has every term of `ids` from position `from` on. */
function containsAll(phrasing: AskedPhrasing, ids: number[], from: number): boolean {
  for (let i = from; i < ids.length; i++) if (findTerm(phrasing, ids[i]!) < 0) return false;
  return true;
}

const NO_TERMS: ReadonlySet<number> = new Set();

/** Term ids that occur more than once in the question's alternatives (in two groups, or twice in one name). */
function repeatedTerms(query: AnalyzedQuery): ReadonlySet<number> {
  // One single-term alternative per group (no glossary name): the question's words are distinct terms.
  if (query.namedGroups.length === 0) return NO_TERMS;
  const seen = new Set<number>();
  const repeated = new Set<number>();
  for (const group of query.groups) {
    for (const alternative of group.alternatives) {
      for (const id of alternative) {
        if (seen.has(id)) repeated.add(id);
        else seen.add(id);
      }
    }
  }
  return repeated;
}

/**
 * Per-phrasing accumulators of askedMatch, reused by every call (queries are synchronous): a call's entries are those
 * whose stamp is its run number. Why: a Set and sums per phrasing and question were most of askedMatch's time.
 */
interface AskedScratch {
  share: Float64Array;
  mass: Float64Array;
  lastGroup: Int32Array;
  stamp: Uint32Array;
  run: number;
}
let scratchOfAsked: AskedScratch | null = null;
function askedScratch(size: number): AskedScratch {
  if (!scratchOfAsked || scratchOfAsked.stamp.length < size || scratchOfAsked.run >= 0xfffffff0) {
    scratchOfAsked = { share: new Float64Array(size), mass: new Float64Array(size), lastGroup: new Int32Array(size), stamp: new Uint32Array(size), run: 0 };
  }
  return scratchOfAsked;
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
      askedMatch: best.doc.kind === 'article' ? (asked.get(best.doc.slug) ?? 0) : 0,
      best,
      matchedTermIds: matchedTermIdsOf(best.doc, prepared),
    }));
}

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
