import { ButtonStyle, ComponentType, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { Logger } from 'pino';
import { customId, type MessageRow } from '../command.js';
import { EMBED_LIMITS } from '../limits.js';
import { enforceEmbedLimits, escapeMemberText, truncate } from '../render.js';
import type { Engine } from '../../engine/engine.js';
import type { Messenger, OutgoingMessage } from './messenger.js';
import type { MemberRateLimits } from '../../questions/rate-limit.js';
import type { QuestionGroup, QuestionStatus, QuestionStore, StoredReportOutcome } from '../../questions/store.js';

/** custom_id prefixes of the editors' channel buttons and modal (handled in commands/resolve.ts). */
export const EDITORS_BUTTON = { answer: 'editors-answer', dismiss: 'editors-dismiss', answerModal: 'editors-answer-modal' } as const;

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

function describeGuess(group: QuestionGroup, lookup: SlugLookup): string {
  const guess = group.latestGuess;
  if (!guess) return 'none: nothing in the knowledge base came close';
  const found = lookup(guess.slug);
  const name = found ? `[${found.title}](${found.url})` : `\`${guess.slug}\``;
  const confidence = guess.confidence === null ? '' : `, confidence ${guess.confidence.toFixed(2)}`;
  return `${name} (${guess.answered ? 'answered' : 'not confident enough to answer'}${confidence})`;
}

function describeCount(group: QuestionGroup): string {
  const kinds = [
    group.kinds.unanswered && `${group.kinds.unanswered} unanswered`,
    group.kinds.flagged && `${group.kinds.flagged} flagged`,
    group.kinds.not_helpful && `${group.kinds.not_helpful} not helpful`,
  ].filter(Boolean);
  return `${plural(group.count, 'report')} by ${plural(group.askers, 'member')} (${kinds.join(', ')})`;
}

/** The embed describing a question group, for the editors' channel and for /unanswered details. */
export function questionEmbed(group: QuestionGroup, lookup: SlugLookup): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Asked', value: describeCount(group), inline: true },
    {
      name: 'First asked by',
      value: `<@${group.firstUserId}>${group.firstChannelId ? ` in ${channelLink(group.firstGuildId, group.firstChannelId)}` : ' (in a direct message)'}`,
      inline: true,
    },
    { name: "The bot's best guess", value: truncate(describeGuess(group, lookup), EMBED_LIMITS.fieldValue) },
  ];
  if (group.status === 'answered' && group.resolvedSlug) {
    const article = lookup(group.resolvedSlug);
    const link = article ? `[${article.title}](${article.url})` : `\`${group.resolvedSlug}\``;
    fields.push({ name: 'Answered with', value: `${link} by <@${group.resolvedBy}>` });
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
  const buttons: MessageRow = {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Mark answered (link article)', custom_id: customId(EDITORS_BUTTON.answer, String(group.id)) },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Dismiss', custom_id: customId(EDITORS_BUTTON.dismiss, String(group.id)) },
    ],
  };
  // An empty component list removes the buttons once the question is dealt with.
  return { embeds: [questionEmbed(group, lookup)], components: group.status === 'open' ? [buttons] : [] };
}

export interface EditorsChannelOptions {
  channelId: string;
  messenger: Messenger;
  store: QuestionStore;
  lookup: () => SlugLookup;
  logger: Logger;
  /** Caps how many new posts one member can cause; null: no cap. */
  limits: MemberRateLimits | null;
}

/**
 * Keeps the editors' channel in step with the store: one message per open question, edited as repeats come in
 * and when an editor resolves or dismisses it. Updates of one question run one after the other, so a burst of
 * repeats cannot post the same question twice.
 */
export class EditorsChannel {
  private readonly queues = new Map<number, Promise<void>>();

  constructor(private readonly options: EditorsChannelOptions) {}

  /** Called after a report was stored; returns at once (the member's reply must not wait for the post). */
  afterReport(outcome: StoredReportOutcome, userId: string): void {
    if (outcome.duplicate) return;
    this.enqueue(outcome.questionId, () => this.sync(outcome.questionId, userId));
  }

  /** After a status change: edits the posted message, if any. */
  refresh(questionId: number): Promise<void> {
    return this.enqueue(questionId, () => this.sync(questionId, null));
  }

  /** Resolves when every pending post and edit has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values());
  }

  private enqueue(questionId: number, task: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(questionId) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => this.options.logger.warn({ event: 'editors_channel.failed', questionId, err: error }, 'could not update the editors channel'))
      .finally(() => {
        if (this.queues.get(questionId) === next) this.queues.delete(questionId);
      });
    this.queues.set(questionId, next);
    return next;
  }

  /** `reporterId` is null for editor actions, which never post a new message. */
  private async sync(questionId: number, reporterId: string | null): Promise<void> {
    const { store, messenger, channelId, limits, logger } = this.options;
    const group = await store.get(questionId);
    if (!group) return;
    const message = editorsMessage(group, this.options.lookup());
    if (group.editorsMessage) {
      await messenger.edit(group.editorsMessage.channelId, group.editorsMessage.messageId, message);
      return;
    }
    if (reporterId === null || group.status !== 'open') return;
    if (limits && !limits.allowEditorialPost(reporterId)) {
      logger.info({ event: 'editors_channel.capped', questionId, userId: reporterId }, 'member reached the editors channel cap; question stored, not posted');
      return;
    }
    const sent = await messenger.send(channelId, message);
    await store.setEditorsMessage(questionId, { channelId, messageId: sent.id });
  }
}
