/**
 * Text utilities at the bottom of the dependency graph: how text becomes words (surface tokens) and how names
 * compare. The knowledge loader and the engine both read text through here, so a word is the same word in both.
 */

/**
 * Words, numbers and short joined abbreviations. "P/E", "A/D", "S&P" and "P/CF" stay one token (Orama's default
 * tokenizer turns them into single letters that match anything); "calls/puts" splits, because both sides are
 * words of their own. Decimals ("3.5") stay whole.
 */
const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*(?:[/&.][\p{L}\p{N}]+)*/gu;
const JOINED_ABBREVIATION = /^[\p{L}\p{N}]{1,3}(?:[/&][\p{L}\p{N}]{1,3})+$/u;

/** Any character outside ASCII. ASCII text is its own NFKD form and has no combining marks. */
const NON_ASCII = /\P{ASCII}/u;

export function normalizeText(text: string): string {
  // Most text is ASCII: only lower-casing applies, without the normalisation pass (faster, same result).
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Surface tokens, lower-cased and accent-folded, in order, with their offsets in the normalised text. */
export function surfaceTokens(text: string): string[] {
  const normalized = normalizeText(text);
  const tokens: string[] = [];
  for (const match of normalized.matchAll(TOKEN)) {
    let token = match[0];
    if (token.includes("'") || token.includes('’')) token = token.replace(/['’]/g, '');
    if (/[/&.]/.test(token) && !JOINED_ABBREVIATION.test(token) && !/^\d+(?:\.\d+)+$/.test(token)) {
      tokens.push(...token.split(/[/&.]/).filter(Boolean));
      continue;
    }
    if (token.endsWith('.')) token = token.replace(/\.+$/, '');
    if (token) tokens.push(token);
  }
  return tokens;
}

/**
 * Names (terms and aliases) compare as the engine reads them, word by word: "A/D line", "a/d  Line" and
 * "Advance-Decline Line" vs "advance decline line" are the same name, so a name leads to exactly one entry.
 */
export function nameKey(name: string): string {
  return surfaceTokens(name).join(' ');
}
