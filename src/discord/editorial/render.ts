/**
 * What editors see: the editors' channel post of a question, the /unanswered list, the /kb-stats embed and the
 * "mark answered" modal, as Discord payloads within Discord's limits.
 */
import { ButtonStyle, type APIEmbed, type APIEmbedField, type APIModalInteractionResponseCallbackData } from 'discord.js';
import type { Engine } from '../../engine/engine.js';
import type { ArticleStats, QuestionGroup, QuestionStats, QuestionStatus } from '../../questions/store.js';
import type { MessageReply } from '../reply.js';
import { button, enforceEmbedLimits, rows, textModal } from '../components.js';
import { CUSTOM_IDS, MODAL_FIELDS, customId } from '../custom-ids.js';
import { EMBED_LIMITS } from '../limits.js';
import { escapeMemberText, joinWithin, quoteMemberText, truncate } from '../text.js';
import type { OutgoingMessage } from './messenger.js';

const STATUS_COLOR: Record<QuestionStatus, number> = { open: 0xe67e22, answered: 0x2ecc71, dismissed: 0x95a5a6 };
const STATUS_TITLE: Record<QuestionStatus, string> = { open: 'Open question', answered: 'Answered', dismissed: 'Dismissed' };

/** Title and link of a slug in the knowledge base serving now, or null if it is not (or no longer) there. */
export type SlugLookup = (slug: string) => { title: string; url: string } | null;

export function slugLookup(engine: Engine): SlugLookup {
  return (slug) => {
    const article = engine.kb.articleBySlug.get(slug);
    if (article) return { title: article.title, url: article.url };
    const term = engine.kb.glossaryBySlug.get(slug);
    return term ? { title: term.term, url: term.url } : null;
  };
}

export function channelLink(guildId: string | null, channelId: string): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function linkTo(slug: string, lookup: SlugLookup): string {
  const found = lookup(slug);
  return found ? `[${found.title}](${found.url})` : `\`${slug}\``;
}

function describeGuess(group: QuestionGroup, lookup: SlugLookup): string {
  const guess = group.latestGuess;
  if (!guess) return 'none: nothing in the knowledge base came close';
  const confidence = guess.confidence === null ? '' : `, confidence ${guess.confidence.toFixed(2)}`;
  return `${linkTo(guess.slug, lookup)} (${guess.answered ? 'answered' : 'not confident enough to answer'}${confidence})`;
}

function describeCount(group: QuestionGroup): string {
  const kinds = [
    group.kinds.unanswered && `${group.kinds.unanswered} unanswered`,
    group.kinds.flagged && `${group.kinds.flagged} flagged`,
    group.kinds.not_helpful && `${group.kinds.not_helpful} not helpful`,
  ].filter(Boolean);
  return `${plural(group.count, 'report')} by ${plural(group.askers, 'member')} (${kinds.join(', ')})`;
}

/** The embed describing a question group, for the editors' channel. */
export function questionEmbed(group: QuestionGroup, lookup: SlugLookup): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Asked', value: describeCount(group), inline: true },
    {
      name: 'First asked by',
      value: `<@${group.firstUserId}>${group.firstChannelId ? ` in ${channelLink(group.firstGuildId, group.firstChannelId)}` : ' (in a direct message)'}`,
      inline: true,
    },
    { name: "The bot's best guess", value: describeGuess(group, lookup) },
  ];
  if (group.status === 'answered' && group.resolvedSlug) {
    fields.push({ name: 'Answered with', value: `${linkTo(group.resolvedSlug, lookup)} by <@${group.resolvedBy}>` });
  } else if (group.status === 'dismissed') {
    fields.push({ name: 'Dismissed by', value: `<@${group.resolvedBy}>` });
  }
  return enforceEmbedLimits({
    title: `${STATUS_TITLE[group.status]} #${group.id}`,
    description: `> ${escapeMemberText(group.question)}`,
    color: STATUS_COLOR[group.status],
    fields,
    footer: { text: `Question ${group.id} · /resolve ${group.id} to link the article that answers it` },
    timestamp: group.lastAskedAt,
  });
}

/** The editors' channel message: the embed, with the buttons while the question is open. */
export function editorsMessage(group: QuestionGroup, lookup: SlugLookup): OutgoingMessage {
  const buttons = [
    button('Mark answered (link article)', customId(CUSTOM_IDS.editorsAnswer, String(group.id)), ButtonStyle.Primary),
    button('Dismiss', customId(CUSTOM_IDS.editorsDismiss, String(group.id)), ButtonStyle.Secondary),
  ];
  // An empty component list removes the buttons once the question is dealt with.
  return { embeds: [questionEmbed(group, lookup)], components: group.status === 'open' ? rows(buttons) : [] };
}

function questionListLine(group: QuestionGroup): string {
  const guess =
    group.status === 'answered' && group.resolvedSlug ? ` → \`${group.resolvedSlug}\`` : group.latestGuess ? ` · guess \`${group.latestGuess.slug}\`` : '';
  return `**#${group.id}** · ${group.count}× by ${group.askers} · ${escapeMemberText(truncate(group.question, 150))}${guess}`;
}

/** /unanswered: the groups of one status, most asked first, privately. */
export function renderQuestionList(status: QuestionStatus, groups: QuestionGroup[]): MessageReply {
  if (groups.length === 0) {
    return { type: 'message', ephemeral: true, content: status === 'open' ? 'No open questions: the queue is empty.' : `No ${status} questions.` };
  }
  const embed = enforceEmbedLimits({
    title: `${status[0]!.toUpperCase()}${status.slice(1)} questions, most asked first`,
    description: joinWithin(groups.map(questionListLine), '\n', EMBED_LIMITS.description),
    footer: { text: '/resolve <id> <article> marks one answered · npm run questions -- export lists them all' },
  });
  return { type: 'message', ephemeral: true, embeds: [embed] };
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

function embedTextLength(fields: APIEmbedField[]): number {
  return fields.reduce((sum, part) => sum + part.name.length + part.value.length, 0);
}

/** One article of /kb-stats: served, votes, and the questions most marked not helpful, within `room` characters. */
function articleField(article: ArticleStats, rank: number, lookup: SlugLookup, room: number): APIEmbedField {
  const found = lookup(article.slug);
  const name = truncate(`${rank}. ${found ? found.title : article.slug}`, EMBED_LIMITS.fieldName);
  const what = article.kind === 'glossary' ? 'term' : 'article';
  const link = found ? `[Read the ${what}](${found.url})` : `\`${article.slug}\` (no longer in the knowledge base)`;
  const counts = `${link} · served ${article.served}× · ${article.helpful} helpful · ${article.notHelpful} not helpful`;
  const valueRoom = Math.max(0, Math.min(EMBED_LIMITS.fieldValue, room - name.length));
  const lines = [truncate(counts, valueRoom)];
  if (article.notHelpfulQuestions.length > 0) {
    const header = '\nMarked not helpful: ';
    const questions = article.notHelpfulQuestions.map((question) => `${quoteMemberText(question.question, 100)} (${question.count}×)`);
    const left = valueRoom - lines[0]!.length - header.length;
    // Too little room for even one question: the counts alone.
    if (left >= 20) lines.push(header + joinWithin(questions, ' · ', left));
  }
  return { name, value: lines.join('') || '…' };
}

/**
 * /kb-stats: answer rate, the open queue, reports passed to the editors, most asked questions, and per article
 * (most served first) its times served, votes and the questions most marked not helpful. The articles share what
 * Discord's 6,000 characters per embed leave after the rest; an article that gets no room is counted instead.
 */
export function renderStats(stats: QuestionStats, days: number, lookup: SlugLookup): MessageReply {
  const answerRate =
    stats.answerRate === null
      ? 'Nobody asked anything in this period.'
      : `${percent(stats.answerRate)} (${stats.answered} of ${stats.asks} questions answered)`;
  const mostAsked = stats.mostAsked.map(
    (group, i) =>
      `${i + 1}. **#${group.id}** ${escapeMemberText(truncate(group.question, 120))} · ${group.count}×${group.status === 'open' ? '' : ` (${group.status})`}`,
  );
  const { open, askedInPeriod } = stats.openQueue;
  const title = `Knowledge base, last ${days === 1 ? 'day' : `${days} days`}`;
  const footer = 'Since';
  const fields: APIEmbedField[] = [
    { name: 'Answer rate', value: answerRate },
    { name: 'Open queue', value: open === 0 ? 'Empty.' : `${plural(open, 'open question')}, ${askedInPeriod} asked in this period · /unanswered lists them` },
    {
      name: 'Passed to the editors',
      value: `${stats.reports.unanswered} unanswered · ${stats.reports.flagged} flagged · ${stats.reports.not_helpful} not helpful`,
    },
    { name: 'Most asked (unanswered or flagged)', value: mostAsked.length > 0 ? joinWithin(mostAsked, '\n', EMBED_LIMITS.fieldValue) : 'None.' },
  ];
  if (stats.articles.length === 0) {
    fields.push({ name: 'Articles', value: 'Nothing was served or voted on in this period.' });
  } else {
    // Room left for the article fields, shared evenly; a "not shown" note is reserved in case some do not fit.
    const reserve = 120;
    const slots = Math.min(stats.articles.length, EMBED_LIMITS.fields - fields.length - 1);
    const room = EMBED_LIMITS.total - title.length - footer.length - embedTextLength(fields) - reserve;
    const each = Math.floor(room / Math.max(slots, 1));
    const shown = each >= 80 ? slots : Math.max(0, Math.floor(room / 80));
    stats.articles.slice(0, shown).forEach((article, i) => fields.push(articleField(article, i + 1, lookup, Math.floor(room / Math.max(shown, 1)))));
    const hidden = stats.articles.length - shown;
    if (hidden > 0)
      fields.push({ name: 'Not shown', value: `${plural(hidden, 'more article')} (Discord limits the size of a message); ask for fewer with \`articles\`.` });
  }
  const embed = enforceEmbedLimits({ title, fields, timestamp: stats.since, footer: { text: footer } });
  return { type: 'message', ephemeral: true, embeds: [embed] };
}

/** The modal behind "Mark answered (link article)": the article, pre-filled with the bot's best guess. */
export function renderAnswerModal(questionId: number, guessSlug: string | undefined): APIModalInteractionResponseCallbackData {
  return textModal(customId(CUSTOM_IDS.editorsAnswerModal, String(questionId)), `Mark question #${questionId} answered`, [
    { id: MODAL_FIELDS.article, label: 'Article slug or exact title', required: true, maxLength: 200, placeholder: 'e.g. what-is-the-vix', value: guessSlug },
  ]);
}
