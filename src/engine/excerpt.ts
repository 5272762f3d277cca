/**
 * Excerpts: whole sentences of the passage(s) shown, within the size limit, the question's words in bold.
 */
import { splitSentences } from '../knowledge/split.js';
import type { Passage } from '../knowledge/types.js';
import { isIndexable, stem, surfaceTokens } from './text.js';

export const MAX_EXCERPT_CHARS = 700;
/** A passage shorter than this borrows the following passage of the same section, if it still fits. */
const SHORT_PASSAGE_CHARS = 280;

const WORD = /[\p{L}\p{N}]+(?:['’/&.][\p{L}\p{N}]+)*/gu;

/** Wraps every word whose term is in `terms` in Markdown bold; other text is left as it is. */
export function markTerms(text: string, terms: ReadonlySet<string>): string {
  if (terms.size === 0) return text;
  return text.replace(WORD, (word) => {
    const hit = surfaceTokens(word).some((token) => isIndexable(token) && terms.has(stem(token)));
    return hit ? `**${word}**` : word;
  });
}

/**
 * The sentences of a passage, remembered: the same passages are shown again and again, and segmenting them
 * (Intl.Segmenter) was the largest part of composing an answer. Bounded; a reload brings new passage texts.
 */
const sentencesByText = new Map<string, string[]>();
const MAX_REMEMBERED_TEXTS = 20_000;
function sentencesOf(text: string): string[] {
  let sentences = sentencesByText.get(text);
  if (!sentences) {
    if (sentencesByText.size >= MAX_REMEMBERED_TEXTS) sentencesByText.clear();
    sentencesByText.set(text, (sentences = splitSentences(text)));
  }
  return sentences;
}

/** Joins passages into whole sentences no longer than `max` characters. */
export function fitSentences(texts: string[], max = MAX_EXCERPT_CHARS): string {
  let excerpt = '';
  for (const sentence of texts.flatMap(sentencesOf)) {
    const next = excerpt ? `${excerpt} ${sentence}` : sentence;
    if (next.length > max) break;
    excerpt = next;
  }
  // A first sentence longer than the limit is cut at a word boundary rather than dropped.
  if (!excerpt && texts[0]) excerpt = `${texts[0].slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
  return excerpt;
}

export function buildExcerpt(passageText: string, following: string | undefined, terms: ReadonlySet<string>): string {
  const texts = [passageText];
  if (following && passageText.length < SHORT_PASSAGE_CHARS && passageText.length + 1 + following.length <= MAX_EXCERPT_CHARS) {
    texts.push(following);
  }
  return markTerms(fitSentences(texts), terms);
}

/**
 * Two passages of one article that each answer part of the question, in half the space each: the first as it is, the
 * second under its heading in italics (the renderer shows the first passage's heading the same way).
 */
export function buildTwoPartExcerpt(first: Passage, second: Passage, terms: ReadonlySet<string>): string {
  const heading = `*${second.section ?? ''}*\n`;
  const half = Math.floor((MAX_EXCERPT_CHARS - heading.length - 2) / 2);
  return `${markTerms(fitSentences([first.text], half), terms)}\n\n${second.section ? heading : ''}${markTerms(fitSentences([second.text], half), terms)}`;
}
