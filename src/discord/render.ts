/**
 * What members see: the answer to /ask, the no-answer reply, glossary terms and the flag modal, as Discord
 * payloads within Discord's limits. The editors' side is rendered in editorial/render.ts.
 */
import { ButtonStyle, type APIButtonComponent, type APIEmbedField, type APIModalInteractionResponseCallbackData } from 'discord.js';
import type { Answer, ArticleRef } from '../engine/answer.js';
import type { AskResult, ResultSummary } from '../engine/engine.js';
import { MAX_QUESTION_CHARS } from '../engine/question.js';
import type { GlossaryTerm } from '../knowledge/types.js';
import { isQueued, type ReportReceipt } from '../questions/sink.js';
import type { MessageReply } from './reply.js';
import { button, enforceEmbedLimits, field, linkButton, rows, textModal } from './components.js';
import { CUSTOM_IDS, MODAL_FIELDS, answerArgs, customId } from './custom-ids.js';
import { EMBED_LIMITS, MAX_BUTTONS_PER_ROW, MAX_MESSAGE_CONTENT, MAX_ROWS_PER_MESSAGE } from './limits.js';
import { escapeMemberText, joinWithin, truncate, unescapeMarkdown } from './text.js';

const NO_CONFIDENT_ANSWER = "I don't have a confident answer to that yet.";
/** Said only once the question is stored (renderUnanswered takes the store's outcome). */
export const PASSED_TO_EDITORS = 'Your question has been passed to the editors; **Flag for editors** adds a note for them.';
/** Said when the store could not take it now: the question waits in the spool and reaches the editors when it can. */
export const NOTED_FOR_EDITORS = 'Noted; the editors will see it shortly. **Flag for editors** adds a note for them.';
/** Said when the question could not be recorded at all (store failing, queue full, spool unwritable). */
export const NOT_RECORDED_FOR_EDITORS = 'Your question could not be recorded for the editors just now; please ask again in a few minutes.';

/** What became of the report of an unanswered question: the sink's receipt, "not_recorded", or null when none was made. */
export type UnansweredReport = ReportReceipt | 'not_recorded' | null;

const BRAND_COLOR = 0x1f6feb;
const QUESTION_PREFIX = '**Question:** ';

/** Room a reply keeps for its own text after the question line (the no-answer message, "did you mean"). */
const REPLY_TEXT_ROOM = 500;

/** The first line of a reply: the member's question, which the buttons under the reply read back. */
export function questionLine(question: string): string {
  return truncate(QUESTION_PREFIX + escapeMemberText(question), MAX_MESSAGE_CONTENT - REPLY_TEXT_ROOM);
}

/** The question a reply was for, read from its content (see questionLine); null if the message has none. */
export function questionFromContent(content: string): string | null {
  const line = content.split('\n').find((text) => text.startsWith(QUESTION_PREFIX));
  return line === undefined ? null : unescapeMarkdown(line.slice(QUESTION_PREFIX.length)).trim() || null;
}

function link(text: string, url: string): string {
  // Brackets in the text would end the masked link early.
  return `[${text.replace(/[[\]]/g, '')}](${url})`;
}

function flagButton(args: string[] = []): APIButtonComponent {
  return button('Flag for editors', customId(CUSTOM_IDS.flag, ...args), ButtonStyle.Secondary);
}

/** The answer to /ask: the member's question, an embed (excerpt, glossary terms, citation, disclaimer) and its buttons. */
export function renderAnswer(question: string, answer: Answer): MessageReply {
  const fields: APIEmbedField[] = [];
  if (answer.glossary.length > 0) {
    fields.push(
      field(
        'Glossary',
        joinWithin(
          answer.glossary.map((term) => link(term.term, term.url)),
          ' · ',
          EMBED_LIMITS.fieldValue,
        ),
      ),
    );
  }
  if (answer.related.length > 0) {
    fields.push(
      field(
        'Keep reading',
        joinWithin(
          answer.related.map((article) => link(article.title, article.url)),
          '\n',
          EMBED_LIMITS.fieldValue,
        ),
      ),
    );
  }
  fields.push(field('Source', answer.citation));
  const section = answer.section ? `*${answer.section}*\n` : '';
  const embed = enforceEmbedLimits({
    title: answer.title,
    url: answer.url,
    description: section + answer.excerpt,
    color: BRAND_COLOR,
    fields,
    footer: { text: answer.disclaimer },
  });
  const args = answerArgs(CUSTOM_IDS.vote, answer.kind, answer.slug);
  const buttons = [
    linkButton('Read the article', answer.url),
    button('Helpful', customId(CUSTOM_IDS.vote, 'up', ...args), ButtonStyle.Success),
    button('Not helpful', customId(CUSTOM_IDS.vote, 'down', ...args), ButtonStyle.Secondary),
    flagButton(args),
  ];
  return { type: 'message', content: questionLine(question), embeds: [embed], components: rows(buttons) };
}

function suggestionButton(suggestion: ResultSummary, urls: (suggestion: ResultSummary) => string | undefined): APIButtonComponent | null {
  if (suggestion.kind === 'glossary') return button(suggestion.title, customId(CUSTOM_IDS.glossaryTerm, suggestion.slug), ButtonStyle.Primary);
  const url = urls(suggestion);
  return url ? linkButton(suggestion.title, url) : null;
}

/**
 * The private reply when there is no confident answer: the engine's sentence, then what became of the question
 * (passed to the editors only when the store has it; noted when it waits for the store; or not recorded), up to
 * three "did you mean" buttons (glossary terms open in place, articles link to the site) and the flag button for
 * adding a note.
 */
export function renderUnanswered(result: AskResult, articleUrl: (slug: string) => string | undefined, report: UnansweredReport): MessageReply {
  const lines = [questionLine(result.question), '', result.message ?? NO_CONFIDENT_ANSWER];
  const stored = report !== null && report !== 'not_recorded';
  if (report === 'not_recorded') lines.push(NOT_RECORDED_FOR_EDITORS);
  else if (report) lines.push(isQueued(report) ? NOTED_FOR_EDITORS : PASSED_TO_EDITORS);
  const suggestions = result.suggestions
    .slice(0, 3)
    .map((suggestion) => suggestionButton(suggestion, (s) => articleUrl(s.slug)))
    .filter((component): component is APIButtonComponent => component !== null);
  if (suggestions.length > 0) lines.push('', 'Did you mean:');
  const components = [...(suggestions.length > 0 ? rows(suggestions) : []), ...(stored ? rows([flagButton()]) : [])];
  return { type: 'message', content: lines.join('\n'), components, ephemeral: true };
}

/** A glossary term: definition, aliases, articles that use it, and its related terms as buttons. */
export function renderGlossaryTerm(term: GlossaryTerm, articles: ArticleRef[], related: GlossaryTerm[], note?: string): MessageReply {
  const fields: APIEmbedField[] = [];
  if (term.aliases.length > 0) fields.push(field('Also called', joinWithin(term.aliases, ', ', EMBED_LIMITS.fieldValue)));
  if (articles.length > 0) {
    fields.push(
      field(
        'Articles using this term',
        joinWithin(
          articles.map((article) => link(article.title, article.url)),
          '\n',
          EMBED_LIMITS.fieldValue,
        ),
      ),
    );
  }
  const embed = enforceEmbedLimits({ title: term.term, url: term.url, description: term.definition, color: BRAND_COLOR, fields });
  // The link row, and at most two rows of related terms (well inside the rows a message may have).
  const relatedRows = Math.min(2, MAX_ROWS_PER_MESSAGE - 1);
  const relatedButtons = related
    .slice(0, relatedRows * MAX_BUTTONS_PER_ROW)
    .map((other) => button(other.term, customId(CUSTOM_IDS.glossaryTerm, other.slug), ButtonStyle.Secondary));
  return {
    type: 'message',
    ...(note ? { content: note } : {}),
    embeds: [embed],
    components: [...rows([linkButton('Read on the site', term.url)]), ...rows(relatedButtons)],
  };
}

/** The note above a term found by prefix or fuzzy match, naming what the member typed. */
export function closestMatchNote(query: string): string {
  return `Closest match for "${truncate(escapeMemberText(query), 200)}":`;
}

/** A free-text /glossary that matched nothing. */
export function renderNoGlossaryTerm(query: string, suggestions: GlossaryTerm[]): MessageReply {
  const buttons = suggestions.slice(0, MAX_BUTTONS_PER_ROW).map((term) => button(term.term, customId(CUSTOM_IDS.glossaryTerm, term.slug), ButtonStyle.Primary));
  const lines = [`No glossary term matches "${truncate(escapeMemberText(query), 200)}".`];
  if (buttons.length > 0) lines.push('Did you mean:');
  return { type: 'message', content: lines.join('\n'), components: rows(buttons), ephemeral: true };
}

/** Longest note a member can add to a flag. */
export const MAX_FLAG_NOTE_CHARS = 1000;

/** The modal behind "Flag for editors": the question (pre-filled from the message, editable) and an optional note. */
export function renderFlagModal(question: string | null, args: string[]): APIModalInteractionResponseCallbackData {
  return textModal(customId(CUSTOM_IDS.flagModal, ...args), 'Flag for the editors', [
    { id: MODAL_FIELDS.question, label: 'Question', multiline: true, required: true, minLength: 1, maxLength: MAX_QUESTION_CHARS, value: question },
    {
      id: MODAL_FIELDS.note,
      label: 'Note for the editors (optional)',
      description: 'What is wrong or missing?',
      multiline: true,
      maxLength: MAX_FLAG_NOTE_CHARS,
    },
  ]);
}
