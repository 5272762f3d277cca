/**
 * Matching a question against the articles' `asked` phrasings (and titles), question to question: the evidence that
 * members asked an article's question in other words.
 */
import { findTerm, type AskedPhrasing, type SearchIndex } from './index.js';
import type { AnalyzedQuery } from './query.js';
import { RELEVANCE } from './relevance.js';

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
 * How closely the question matches one phrasing (the definition askedMatch computes for all at once): the harmonic
 * mean of the IDF-weighted share of the question found in the phrasing and of the phrasing found in the question;
 * 0 below RELEVANCE.answer.askedMatch. Used for article titles, matched only for the articles a question ranks.
 */
export function phrasingMatch(index: SearchIndex, query: AnalyzedQuery, phrasing: AskedPhrasing): number {
  let total = 0;
  let share = 0;
  const counted = new Set<number>();
  for (const group of query.groups) {
    total += group.weight;
    const found = group.alternatives.find((ids) => ids.length > 0 && containsAll(phrasing, ids, 0));
    if (!found) continue;
    share += group.weight * group.credit;
    for (const id of found) counted.add(id);
  }
  if (total === 0 || phrasing.mass === 0) return 0;
  let mass = 0;
  for (const id of counted) mass += index.idf[id]!;
  const q = share / total;
  const f = mass / phrasing.mass;
  const match = q + f > 0 ? (2 * q * f) / (q + f) : 0;
  return match >= RELEVANCE.answer.askedMatch ? match : 0;
}
