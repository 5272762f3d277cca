/** What a member may ask: the rules shared by the CLI and Discord (Discord also caps the option at 1,000). */
export const MAX_QUESTION_CHARS = 1000;

export type QuestionCheck = { ok: true; question: string } | { ok: false; reason: 'empty' | 'too_long'; message: string };

/**
 * Removes control and invisible format characters (a pasted question can carry NULs, escape sequences or
 * zero-width joiners) and collapses whitespace. Line breaks become spaces.
 */
export function cleanQuestion(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function checkQuestion(raw: string): QuestionCheck {
  const question = cleanQuestion(raw);
  if (!question) return { ok: false, reason: 'empty', message: 'The question is empty: type a question, e.g. "What is an iron condor?"' };
  if (question.length > MAX_QUESTION_CHARS) {
    return {
      ok: false,
      reason: 'too_long',
      message: `The question is ${question.length.toLocaleString('en-US')} characters long; the limit is ${MAX_QUESTION_CHARS.toLocaleString('en-US')}. Ask one thing at a time.`,
    };
  }
  return { ok: true, question };
}

/**
 * What members type around a question in Discord, which must not change the answer: user, role and channel
 * mentions (`<@123>`, `<@!123>`, `<@&123>`, `<#123>`), `@everyone`/`@here`, custom emoji (`<:theta:123>`,
 * `<a:spin:123>`), slash-command mentions (`</ask:123>`), timestamps (`<t:1700000000:R>`) and links (a URL, a
 * channel link). Each becomes a space, so the words on either side stay apart.
 */
const CHAT_MARKUP = /<(?:@[!&]?|#)\d+>|<\/[\w -]+:\d+>|<a?:\w+:\d+>|<t:-?\d+(?::[tTdDfFR])?>|@(?:everyone|here)\b|\b(?:https?:\/\/|www\.)\S+/giu;

export function withoutChatMarkup(question: string): string {
  return question.replace(CHAT_MARKUP, ' ').replace(/\s+/g, ' ').trim();
}
