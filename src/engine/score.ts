/**
 * Scoring one document (passage or glossary entry) for an analysed question: BM25F over its fields and its article's
 * `asked` phrasings, times coverage and the boosts of RELEVANCE; with the coverages the confidence rule reads.
 */
import { findTerm, type AskedField, type IndexedDoc, type SearchIndex } from './index.js';
import type { AnalyzedQuery, QueryGroup } from './query.js';
import { RELEVANCE } from './relevance.js';

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

/**
 * The question's term ids as slots 0..n-1, and its groups as slot lists, prepared once per question. Why: the bench
 * profile of the answer path had the re-scoring of the candidates as its largest part, mostly the same
 * binary searches repeated (each term looked up for the score, the coverage, the topic coverage and the named
 * share). Now each doc looks each term up once in its terms and once in its topic terms; sums are made in the
 * same order as before, so scores are bit-identical.
 */
export interface PreparedQuery {
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

export function prepareQuery(index: SearchIndex, query: AnalyzedQuery): PreparedQuery {
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

export function scoreDoc(index: SearchIndex, query: AnalyzedQuery, doc: IndexedDoc, prepared: PreparedQuery): ScoredDoc {
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
export function matchedTermIdsOf(doc: IndexedDoc, prepared: PreparedQuery): number[] {
  const matched: number[] = [];
  for (let slot = 0; slot < prepared.ids.length; slot++) {
    if (!Number.isNaN(prepared.weights[slot]!) && findTerm(doc, prepared.ids[slot]!) >= 0) matched.push(prepared.ids[slot]!);
  }
  return matched;
}
