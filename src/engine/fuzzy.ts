/**
 * Fuzzy matching of one typed key against a sorted list of names, for glossary lookup and autocomplete.
 *
 * Why: comparing the key with every name separately measured p99 36 ms on the 6k-term FIBO glossary (bench), above
 * the 5 ms autocomplete target. Sorted names share leading characters, so this runs one edit-distance matrix per
 * name *prefix*, column by column (a column per character of the name), and reuses the columns of the shared
 * prefix of consecutive names, as a trie walk would; once a column exceeds `max` everywhere, every name with that
 * prefix is out of reach and is skipped. Distances are optimal string alignment (a swap of two adjacent letters is
 * one edit), the same recurrence as `editDistance` in typo.ts: every distance up to `max` is exactly the one
 * `editDistance` returns; above `max` only "more than max" is promised.
 */
export interface FuzzyVisit {
  /** Index of the name in the sorted list. */
  index: number;
  /** Distance to the whole name; more than `max` when out of reach. */
  whole: number;
  /** Distance to the name cut to the key's length; Infinity when the name is not longer than the key. */
  start: number;
}

/** lcp[i] = length of the common prefix of names[i - 1] and names[i] (0 for i = 0); computed once per name list. */
export function commonPrefixLengths(names: readonly string[]): Uint16Array {
  const lcp = new Uint16Array(names.length);
  for (let i = 1; i < names.length; i++) {
    const a = names[i - 1]!;
    const b = names[i]!;
    const limit = Math.min(a.length, b.length, 65535);
    let n = 0;
    while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n++;
    lcp[i] = n;
  }
  return lcp;
}

export function fuzzyScanSorted(
  key: string,
  names: readonly string[],
  max: number,
  visit: (match: FuzzyVisit) => void,
  lcp: Uint16Array = commonPrefixLengths(names),
): void {
  const n = key.length;
  const depthLimit = n + max;
  const columns = Array.from({ length: depthLimit + 1 }, () => new Int32Array(n + 1));
  const columnMin = new Int32Array(depthLimit + 1);
  for (let i = 0; i <= n; i++) columns[0]![i] = i;
  const keyCodes = Int32Array.from({ length: n }, (_, i) => key.charCodeAt(i));
  /** Columns 0..computed hold the matrix for the first `computed` characters of the previous name. */
  let computed = 0;
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!;
    const need = Math.min(name.length, depthLimit);
    const valid = Math.min(computed, need, lcp[index]!);
    // Names sharing a prefix already out of reach are skipped without looking at them (both distances read columns
    // at or after the out-of-reach one when it is not beyond the key's length).
    if (valid === computed && computed <= n && columnMin[computed]! > max) {
      while (index + 1 < names.length && lcp[index + 1]! >= computed) index++;
      continue;
    }
    let reached = valid;
    if (columnMin[reached]! <= max) {
      while (reached < need) {
        const j = reached + 1;
        const current = columns[j]!;
        const left = columns[j - 1]!;
        const left2 = j > 1 ? columns[j - 2]! : null;
        const bj = name.charCodeAt(j - 1);
        const bPrevious = j > 1 ? name.charCodeAt(j - 2) : -1;
        current[0] = j;
        let min = j;
        for (let i = 1; i <= n; i++) {
          const ai = keyCodes[i - 1]!;
          let value = Math.min(current[i - 1]! + 1, left[i]! + 1, left[i - 1]! + (ai === bj ? 0 : 1));
          if (left2 && i > 1 && ai === bPrevious && keyCodes[i - 2] === bj) value = Math.min(value, left2[i - 2]! + 1);
          current[i] = value;
          if (value < min) min = value;
        }
        columnMin[j] = min;
        reached = j;
        // No later column can come back within reach (each column's minimum is at least the one before's).
        if (min > max) break;
      }
    }
    computed = reached;
    // A column not reached was cut off because an earlier one exceeded max: that distance exceeds max too.
    const whole = Math.abs(name.length - n) <= max && reached === name.length ? columns[name.length]![n]! : max + 1;
    const start = name.length > n ? (reached >= n ? columns[n]![n]! : max + 1) : Infinity;
    if (Math.min(whole, start) <= max) visit({ index, whole, start });
  }
}
