/**
 * Every custom_id the bot puts on a button or modal, and the ids of modal text inputs. The router dispatches a
 * component on the text before the first ":" (the prefix) and hands the rest to its handler as `args`.
 */
import { MAX_CUSTOM_ID } from './limits.js';

/** custom_id prefixes; each has one ComponentHandler in commands/ (prefixes are checked for uniqueness at start-up). */
export const CUSTOM_IDS = {
  /** vote:up|down[:<a|g>:<slug>]: "Helpful" / "Not helpful" under an answer (commands/ask.ts) */
  vote: 'vote',
  /** flag[:<a|g>:<slug>]: opens the flag modal (commands/flag.ts) */
  flag: 'flag',
  /** flag-note[:<a|g>:<slug>]: the flag modal's submit (commands/flag.ts) */
  flagModal: 'flag-note',
  /** term:<glossary slug>: shows a glossary term (commands/glossary.ts) */
  glossaryTerm: 'term',
  /** editors-answer:<question id>: editors' channel, opens the "mark answered" modal (commands/resolve.ts) */
  editorsAnswer: 'editors-answer',
  /** editors-answer-modal:<question id>: that modal's submit (commands/resolve.ts) */
  editorsAnswerModal: 'editors-answer-modal',
  /** editors-dismiss:<question id>: editors' channel (commands/resolve.ts) */
  editorsDismiss: 'editors-dismiss',
} as const;

/** custom_ids of the text inputs of the bot's modals (unique within a modal). */
export const MODAL_FIELDS = {
  /** Flag modal: the question, pre-filled from the message. */
  question: 'question',
  /** Flag modal: the member's note for the editors. */
  note: 'note',
  /** "Mark answered" modal: the article slug or title. */
  article: 'article',
} as const;

const SEPARATOR = ':';

/** Builds a custom_id `prefix:arg1:arg2`; throws if it would exceed Discord's 100 characters or args hold ":". */
export function customId(prefix: string, ...args: string[]): string {
  if ([prefix, ...args].some((part) => part.includes(SEPARATOR))) {
    throw new Error(`custom_id parts may not contain "${SEPARATOR}": ${prefix} ${args.join(' ')}`);
  }
  const id = [prefix, ...args].join(SEPARATOR);
  if (id.length > MAX_CUSTOM_ID) throw new Error(`custom_id longer than ${MAX_CUSTOM_ID} characters: ${id}`);
  return id;
}

export function parseCustomId(id: string): { prefix: string; args: string[] } {
  const [prefix = '', ...args] = id.split(SEPARATOR);
  return { prefix, args };
}

export type AnswerKind = 'article' | 'glossary';

/** The answer a button is about, as custom_id args (`a|g`, slug); none when a very long slug would not fit. */
export function answerArgs(prefix: string, kind: AnswerKind, slug: string): string[] {
  const args = [kind === 'article' ? 'a' : 'g', slug];
  return [prefix, 'down', ...args].join(SEPARATOR).length <= MAX_CUSTOM_ID ? args : [];
}

/** Reads the answer back from answerArgs. */
export function answerFromArgs(args: string[]): { answeredKind: AnswerKind; answeredSlug: string } | null {
  const [kind, slug] = args;
  if (!slug || (kind !== 'a' && kind !== 'g')) return null;
  return { answeredKind: kind === 'a' ? 'article' : 'glossary', answeredSlug: slug };
}

/** A question id from custom_id args (editors' channel buttons); null when it is not a positive integer. */
export function questionIdFromArgs(args: string[]): number | null {
  const id = Number(args[0]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
