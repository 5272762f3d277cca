/**
 * Typo correction of question words the knowledge base does not know: the edit distance and the known word a
 * misspelt or clipped word most likely stands for.
 */
import type { SearchIndex } from './index.js';
import { RELEVANCE } from './relevance.js';
import { STOP_WORDS } from './text.js';

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

export function rememberedCorrection(index: SearchIndex, word: string): string | null | undefined {
  let corrections = correctionsByIndex.get(index);
  if (!corrections) correctionsByIndex.set(index, (corrections = new Map()));
  if (corrections.has(word)) return corrections.get(word);
  const corrected = correctUnknown(index, word);
  if (corrections.size >= MAX_REMEMBERED_CORRECTIONS) corrections.clear();
  corrections.set(word, corrected);
  return corrected;
}
