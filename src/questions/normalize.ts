import { createHash } from 'node:crypto';
import { MAX_QUESTION_CHARS, cleanQuestion } from '../engine/question.js';

/** Words and phrases that change nothing about what is asked ("hi, please, what is vega? thanks"). */
const FILLER_PHRASES = ['thank you', 'thanks a lot', 'quick question', 'can you tell me', 'could you tell me', 'i was wondering'];
const FILLER_WORDS = new Set(['please', 'pls', 'plz', 'thanks', 'thx', 'ty', 'hi', 'hello', 'hey', 'um', 'umm', 'uh', 'erm', 'hmm', 'ok', 'okay']);

/**
 * The text stored for a report: control and invisible characters stripped, whitespace collapsed, capped at
 * MAX_QUESTION_CHARS (the same rules as the engine's, so what editors read is what the engine saw).
 */
export function storableText(raw: string): string {
  return cleanQuestion(raw).slice(0, MAX_QUESTION_CHARS).trim();
}

/**
 * The grouping key for repeats: lower-case, accents folded, Discord mentions, punctuation and filler removed,
 * whitespace collapsed. "Hi! What's  the VIX, please?" and "what's the vix" share a key.
 */
export function normalizeQuestion(text: string): string {
  let key = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/<(?:@[!&]?|#)\d+>/g, ' ')
    // An apostrophe joins its word ("what's" -> "whats") instead of splitting it.
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  key = ` ${key} `;
  for (const phrase of FILLER_PHRASES) key = key.replaceAll(` ${phrase} `, ' ');
  return key
    .split(' ')
    .filter((word) => word && !FILLER_WORDS.has(word))
    .join(' ');
}

/** The key repeats share (normalizeQuestion); text with no letters or digits ("???") keys on itself, lower-cased. */
export function groupKey(text: string): string {
  return normalizeQuestion(text) || text.toLowerCase();
}

/** A short stable id of an (article, question key) pair, for /faq-edit to name an entry within Discord's limits. */
export function faqKey(slug: string, normalized: string): string {
  return createHash('sha256').update(`${slug}\n${normalized}`).digest('base64url').slice(0, 12);
}
