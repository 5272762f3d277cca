/**
 * /faq as Discord shows it: the featured questions, each linking to the article that answers it.
 */
import type { Engine } from '../engine/engine.js';
import type { Article } from '../knowledge/types.js';
import type { FaqEntry } from '../questions/store.js';
import type { Choice, MessageReply } from './reply.js';
import { escapeMemberText, joinWithin, truncate } from './text.js';
import { EMBED_LIMITS } from './limits.js';

/** A question's share of a line: long enough to recognise, short enough for ten lines and their links. */
const QUESTION_CHARS = 150;

/** Entries whose article the knowledge base serving now has, and that use every word of the topic, if one is given. */
export function faqFilter(engine: Engine, topic: string | undefined): (entry: FaqEntry) => boolean {
  const words = (topic ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return (entry) => {
    const article = engine.kb.articleBySlug.get(entry.slug);
    if (!article) return false;
    const text = `${entry.question} ${article.title} ${article.tags.join(' ')} ${article.slug}`.toLowerCase();
    return words.every((word) => text.includes(word));
  };
}

export function renderFaq(entries: FaqEntry[], articleOf: (slug: string) => Article | undefined, topic: string | undefined): MessageReply {
  const about = topic ? ` about “${escapeMemberText(truncate(topic, 80))}”` : '';
  if (entries.length === 0) {
    return {
      type: 'message',
      content: `No featured questions${about} yet: they appear once members' questions are answered often, voted helpful, or resolved by the editors. Try /ask.`,
      ephemeral: true,
      outcome: 'faq_empty',
    };
  }
  const lines = entries.map((entry, i) => {
    const article = articleOf(entry.slug)!;
    const pin = entry.pinned ? '📌 ' : '';
    return `${i + 1}. ${pin}[${escapeMemberText(truncate(entry.question, QUESTION_CHARS))}](${article.url})\n   ${escapeMemberText(article.title)}`;
  });
  return {
    type: 'message',
    embeds: [
      {
        title: `Most asked questions${about}`,
        description: joinWithin(lines, '\n', EMBED_LIMITS.description),
        footer: { text: 'What members ask most that the bot answers well: answered often, voted helpful, or answered by the editors.' },
      },
    ],
    ephemeral: true,
    outcome: 'faq',
  };
}

/** /faq-edit's entry choices: candidates matching the typed words, as "question → article slug". */
export function faqChoices(candidates: FaqEntry[], typed: string, limit = 25): Choice[] {
  const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
  return candidates
    .filter((entry) => words.every((word) => `${entry.question} ${entry.slug}`.toLowerCase().includes(word)))
    .slice(0, limit)
    .map((entry) => {
      const state = entry.pinned ? ' (pinned)' : entry.hidden ? ' (hidden)' : '';
      return { name: truncate(`${entry.question} → ${entry.slug}${state}`, 100), value: entry.key };
    });
}
