/**
 * Index terms: stemming and the stop words (minus the words that matter in options talk, plus chat filler).
 */
import { stemmer } from '@orama/stemmers/english';
import { stopwords as oramaEnglishStopwords } from '@orama/stopwords/english';
import { surfaceTokens } from '../text/tokens.js';
export { normalizeText, surfaceTokens } from '../text/tokens.js';

/**
 * Text analysis shared by indexing, querying, excerpt marking and glossary lookup, so the same word always
 * becomes the same term.
 */

/**
 * Orama's English list drops words that carry meaning in options talk ("in/out of the money", "up", "down",
 * "over", "under", "above", "below", "before", "after", "against"); keep those. Add the filler of chat questions
 * ("explain", "pls", "whats") so it neither retrieves nor counts against coverage.
 */
const KEEP = new Set(['out', 'up', 'down', 'over', 'under', 'above', 'below', 'before', 'after', 'against', 'not', 'no']);
const CHAT_FILLER = [
  'whats',
  'hows',
  'whys',
  'wheres',
  'whos',
  'thats',
  'im',
  'ive',
  'id',
  'youre',
  'dont',
  'doesnt',
  'isnt',
  'cant',
  'explain',
  'explained',
  'please',
  'pls',
  'plz',
  'tell',
  'mean',
  'means',
  'meaning',
  'define',
  'definition',
  'anyone',
  'someone',
  'somebody',
  'hey',
  'hi',
  'hello',
  'thanks',
  'thx',
  'ok',
  'okay',
  'guys',
  'yall',
  'u',
  'ur',
  'just',
  'really',
  'actually',
  'basically',
  'also',
  'eli5',
  'know',
  'question',
  'help',
  'understand',
  'vs',
  'versus',
];
export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...oramaEnglishStopwords.filter((word) => !KEEP.has(word)),
  ...oramaEnglishStopwords.map((word) => word.replace(/'/g, '')).filter((word) => !KEEP.has(word)),
  ...CHAT_FILLER,
]);

/** Stems a surface token; abbreviations with separators and numbers are kept as they are. */
const stemCache = new Map<string, string>();
export function stem(token: string): string {
  let stemmed = stemCache.get(token);
  if (stemmed === undefined) {
    stemmed = /^[\p{L}]+$/u.test(token) && token.length > 2 ? stemmer(token) : token;
    if (stemCache.size < 200_000) stemCache.set(token, stemmed);
  }
  return stemmed;
}

export function isIndexable(token: string): boolean {
  if (STOP_WORDS.has(token)) return false;
  // Single letters are noise ("a", "s" of "S & P"), single digits are not ("0" of "0 DTE" is rare enough).
  return token.length > 1 || /\d/.test(token);
}

/** Text -> index terms: surface tokens without stop words, stemmed. Duplicates kept (term frequency). */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const token of surfaceTokens(text)) {
    if (isIndexable(token)) terms.push(stem(token));
  }
  return terms;
}

/** Text as space-separated surface tokens with a space on each side, so that a phrase matches whole words only. */
export function phraseOf(text: string): string {
  return ` ${surfaceTokens(text).join(' ')} `;
}
