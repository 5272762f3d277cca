/**
 * Which questions /faq features: those the bot answers well, by what members and editors did with them.
 */
import type { FaqEntry } from './store.js';

/** Entries listed by /faq. */
export const FAQ_LIMIT = 10;
/** "Answered often": served at least this many times (one answer proves nothing). */
export const FAQ_MIN_SERVED = 2;

/**
 * The question is answered well: an editor resolved it with the article, a member voted its answer helpful, or
 * the bot served it often; and its answer is not voted down more than up. Pinned entries always count, hidden ones
 * never.
 */
export function answersWell(entry: FaqEntry): boolean {
  if (entry.hidden) return false;
  if (entry.pinned) return true;
  return entry.notHelpful <= entry.helpful && (entry.resolved || entry.helpful > 0 || entry.served >= FAQ_MIN_SERVED);
}

/** How much an entry is asked and liked: times served, reports before it was resolved, and net helpful votes (x2). */
export function faqScore(entry: FaqEntry): number {
  return entry.served + entry.resolvedReports + 2 * (entry.helpful - entry.notHelpful);
}

/** The featured questions, pinned first, then by score; `include` narrows them (a topic, an article that exists). */
export function featuredQuestions(candidates: readonly FaqEntry[], options: { limit?: number; include?: (entry: FaqEntry) => boolean } = {}): FaqEntry[] {
  const { limit = FAQ_LIMIT, include = () => true } = options;
  return candidates
    .filter((entry) => answersWell(entry) && include(entry))
    .sort((a, b) => Number(b.pinned) - Number(a.pinned) || faqScore(b) - faqScore(a) || a.question.localeCompare(b.question))
    .slice(0, limit);
}
