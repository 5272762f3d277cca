import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  escapeMarkdown,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { Answer, ArticleRef } from '../engine/answer.js';
import type { AskResult, ResultSummary } from '../engine/engine.js';
import type { GlossaryTerm } from '../knowledge/types.js';
import { customId, type MessageReply, type MessageRow } from './command.js';
import { MAX_QUESTION_CHARS } from '../engine/question.js';
import { EMBED_LIMITS, MAX_BUTTON_LABEL, MAX_BUTTONS_PER_ROW, MAX_CUSTOM_ID, MAX_MESSAGE_CONTENT } from './limits.js';

/** Sent with every reply: text a member typed (@everyone, <@id>, <@&role>) never pings anyone. */
export const NO_MENTIONS = { parse: [] };

/** custom_id prefixes of the components the renderer builds; the handlers live in commands/. */
export const CUSTOM_IDS = {
  /** vote:up|down:<a|g>:<slug> */
  vote: 'vote',
  /** flag[:<a|g>:<slug>]: opens the flag modal */
  flag: 'flag',
  /** flag-note[:<a|g>:<slug>]: the flag modal's submit */
  flagModal: 'flag-note',
  /** term:<glossary slug>: shows a glossary term */
  glossaryTerm: 'term',
} as const;

export const FLAG_FIELDS = { question: 'question', note: 'note' } as const;

const NO_CONFIDENT_ANSWER = "I don't have a confident answer to that yet.";
export const PASSED_TO_EDITORS = 'Your question has been passed to the editors; **Flag for editors** adds a note for them.';

const BRAND_COLOR = 0x1f6feb;
const QUESTION_PREFIX = '**Question:** ';
const ELLIPSIS = '…';

/** Cuts text to at most `max` characters (ellipsis included), at a word boundary when one is near, never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - ELLIPSIS.length;
  const space = text.lastIndexOf(' ', cut);
  if (space > cut * 0.8) cut = space;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/** truncate() for Markdown with **bold**: an unpaired ** left by the cut would bold the rest of the message. */
export function truncateMarkdown(text: string, max: number): string {
  const cut = truncate(text, max);
  if (cut === text) return text;
  const markers = cut.match(/\*\*/g)?.length ?? 0;
  if (markers % 2 === 0) return cut;
  const last = cut.lastIndexOf('**');
  return cut.slice(0, last) + cut.slice(last + 2);
}

/** Member text shown back in a message: every Markdown construct is escaped, so it shows as typed. */
export function escapeMemberText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
}

/** Reverses escapeMemberText (and any Markdown backslash escape), to read a question back from a message. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_~|#\-.[\]()>])/g, '$1');
}

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

/** Joins items with `separator` until the next would not fit in `max`; the rest is counted ("and 3 more"). */
export function joinWithin(items: string[], separator: string, max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const [i, item] of items.entries()) {
    const rest = items.length - i - 1;
    const more = rest > 0 ? `${separator}and ${rest} more` : '';
    const added = (kept.length > 0 ? separator.length : 0) + item.length;
    if (length + added + more.length > max) {
      const skipped = items.length - kept.length;
      return kept.length > 0 ? `${kept.join(separator)}${separator}and ${skipped} more` : truncate(item, max);
    }
    kept.push(item);
    length += added;
  }
  return kept.join(separator);
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/**
 * Makes an embed fit Discord's limits: each part is cut to its own limit, then, while the total is over 6,000
 * characters, the description is shortened and then the last fields are dropped (the footer, which holds the
 * disclaimer, is kept).
 */
export function enforceEmbedLimits(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = {
    ...embed,
    ...(embed.title !== undefined ? { title: truncate(embed.title, EMBED_LIMITS.title) } : {}),
    ...(embed.description !== undefined ? { description: truncateMarkdown(embed.description, EMBED_LIMITS.description) } : {}),
    ...(embed.footer ? { footer: { ...embed.footer, text: truncate(embed.footer.text, EMBED_LIMITS.footerText) } } : {}),
    ...(embed.author ? { author: { ...embed.author, name: truncate(embed.author.name, EMBED_LIMITS.authorName) } } : {}),
    ...(embed.fields
      ? {
          fields: embed.fields.slice(0, EMBED_LIMITS.fields).map((field) => ({
            ...field,
            name: truncate(field.name, EMBED_LIMITS.fieldName),
            value: truncateMarkdown(field.value, EMBED_LIMITS.fieldValue),
          })),
        }
      : {}),
  };
  const excess = embedLength(fitted) - EMBED_LIMITS.total;
  if (excess > 0 && fitted.description) {
    const keep = Math.max(fitted.description.length - excess, 0);
    fitted.description = keep > ELLIPSIS.length ? truncateMarkdown(fitted.description, keep) : '';
  }
  while (embedLength(fitted) > EMBED_LIMITS.total && fitted.fields?.length) fitted.fields = fitted.fields.slice(0, -1);
  return fitted;
}

function link(text: string, url: string): string {
  // Brackets in the text would end the masked link early.
  return `[${text.replace(/[[\]]/g, '')}](${url})`;
}

function field(name: string, value: string, inline = false): APIEmbedField {
  return { name, value, inline };
}

function linkButton(label: string, url: string): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Link, label: truncate(label, MAX_BUTTON_LABEL), url };
}

function button(label: string, id: string, style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger): APIButtonComponent {
  return { type: ComponentType.Button, style, label: truncate(label, MAX_BUTTON_LABEL), custom_id: id };
}

function rows(buttons: APIButtonComponent[]): MessageRow[] {
  const result: MessageRow[] = [];
  for (let i = 0; i < buttons.length; i += MAX_BUTTONS_PER_ROW) {
    result.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + MAX_BUTTONS_PER_ROW) });
  }
  return result;
}

/** What a button's answer was: `a|g` and the slug, or nothing when a very long slug would not fit a custom_id. */
function answerArgs(prefix: string, kind: Answer['kind'], slug: string): string[] {
  const args = [kind === 'article' ? 'a' : 'g', slug];
  return [prefix, 'down', ...args].join(':').length <= MAX_CUSTOM_ID ? args : [];
}

/** Reads the answer back from answerArgs. */
export function answerFromArgs(args: string[]): { answeredKind: Answer['kind']; answeredSlug: string } | null {
  const [kind, slug] = args;
  if (!slug || (kind !== 'a' && kind !== 'g')) return null;
  return { answeredKind: kind === 'a' ? 'article' : 'glossary', answeredSlug: slug };
}

function flagButton(args: string[] = []): APIButtonComponent {
  return button('Flag for editors', customId(CUSTOM_IDS.flag, ...args), ButtonStyle.Secondary);
}

/** The answer to /ask: the member's question, an embed (excerpt, glossary terms, citation, disclaimer) and its buttons. */
export function renderAnswer(question: string, answer: Answer): MessageReply {
  const fields: APIEmbedField[] = [];
  if (answer.glossary.length > 0) {
    fields.push(field('Glossary', joinWithin(answer.glossary.map((term) => link(term.term, term.url)), ' · ', EMBED_LIMITS.fieldValue)));
  }
  if (answer.related.length > 0) {
    fields.push(field('Keep reading', joinWithin(answer.related.map((article) => link(article.title, article.url)), '\n', EMBED_LIMITS.fieldValue)));
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
 * The private reply when there is no confident answer: says so, says the question went to the editors (when it
 * did), offers up to three "did you mean" buttons (glossary terms open in place, articles link to the site) and
 * the flag button for adding a note.
 */
export function renderUnanswered(result: AskResult, articleUrl: (slug: string) => string | undefined, passedToEditors: boolean): MessageReply {
  const noConfidentAnswer = result.reason === 'no_match' || result.reason === 'low_confidence';
  const lines = [questionLine(result.question), '', noConfidentAnswer || !result.message ? NO_CONFIDENT_ANSWER : result.message];
  if (passedToEditors) lines.push(PASSED_TO_EDITORS);
  const suggestions = result.suggestions
    .slice(0, 3)
    .map((suggestion) => suggestionButton(suggestion, (s) => articleUrl(s.slug)))
    .filter((component): component is APIButtonComponent => component !== null);
  if (suggestions.length > 0) lines.push('', 'Did you mean:');
  const components = [...(suggestions.length > 0 ? rows(suggestions) : []), ...(passedToEditors ? rows([flagButton()]) : [])];
  return { type: 'message', content: lines.join('\n'), components, ephemeral: true };
}

/** A glossary term: definition, aliases, articles that use it, and its related terms as buttons. */
export function renderGlossaryTerm(term: GlossaryTerm, articles: ArticleRef[], related: GlossaryTerm[], note?: string): MessageReply {
  const fields: APIEmbedField[] = [];
  if (term.aliases.length > 0) fields.push(field('Also called', joinWithin(term.aliases, ', ', EMBED_LIMITS.fieldValue)));
  if (articles.length > 0) {
    fields.push(field('Articles using this term', joinWithin(articles.map((article) => link(article.title, article.url)), '\n', EMBED_LIMITS.fieldValue)));
  }
  const embed = enforceEmbedLimits({ title: term.term, url: term.url, description: term.definition, color: BRAND_COLOR, fields });
  // At most two rows of related terms, and the link row: a message has at most 5 rows.
  const relatedButtons = related
    .slice(0, 2 * MAX_BUTTONS_PER_ROW)
    .map((other) => button(other.term, customId(CUSTOM_IDS.glossaryTerm, other.slug), ButtonStyle.Secondary));
  return {
    type: 'message',
    ...(note ? { content: note } : {}),
    embeds: [embed],
    components: [...rows([linkButton('Read on the site', term.url)]), ...rows(relatedButtons)],
  };
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
  return {
    custom_id: customId(CUSTOM_IDS.flagModal, ...args),
    title: 'Flag for the editors',
    components: [
      {
        type: ComponentType.Label,
        label: 'Question',
        component: {
          type: ComponentType.TextInput,
          custom_id: FLAG_FIELDS.question,
          style: TextInputStyle.Paragraph,
          required: true,
          min_length: 1,
          max_length: MAX_QUESTION_CHARS,
          ...(question ? { value: question.slice(0, MAX_QUESTION_CHARS) } : {}),
        },
      },
      {
        type: ComponentType.Label,
        label: 'Note for the editors (optional)',
        description: 'What is wrong or missing?',
        component: {
          type: ComponentType.TextInput,
          custom_id: FLAG_FIELDS.note,
          style: TextInputStyle.Paragraph,
          required: false,
          max_length: MAX_FLAG_NOTE_CHARS,
        },
      },
    ],
  };
}
