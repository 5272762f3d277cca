/**
 * NOTIFY_ASKERS: once an editor links an article to a question, the members who asked it hear so, by direct
 * message or by one reply in each channel where they asked.
 */
import type { Logger } from 'pino';
import type { Asker, QuestionGroup } from '../../questions/store.js';
import { quoteMemberText } from '../text.js';
import type { Messenger } from './messenger.js';

/** NOTIFY_ASKERS: how members hear that their question now has an answer. */
export type NotifyMode = 'off' | 'dm' | 'reply';
export const NOTIFY_MODES: readonly NotifyMode[] = ['off', 'dm', 'reply'];

/** A popular question must not turn one /resolve into hundreds of DMs. */
export const MAX_NOTIFIED_ASKERS = 50;

export interface NotifyOutcome {
  notified: number;
  failed: number;
  skipped: number;
}

/**
 * Tells the members who asked that the editors linked an article: a DM each, or one reply per channel the
 * question was asked in, mentioning the askers there. A member whose DMs are closed is counted as failed.
 */
export async function notifyAskers(options: {
  mode: NotifyMode;
  messenger: Messenger;
  group: QuestionGroup;
  askers: Asker[];
  article: { title: string; url: string };
  logger: Logger;
}): Promise<NotifyOutcome> {
  const { mode, messenger, group, article, logger } = options;
  const outcome: NotifyOutcome = { notified: 0, failed: 0, skipped: Math.max(0, options.askers.length - MAX_NOTIFIED_ASKERS) };
  if (mode === 'off') return { notified: 0, failed: 0, skipped: options.askers.length };
  const askers = options.askers.slice(0, MAX_NOTIFIED_ASKERS);
  const news = `the editors have added an answer to the question ${quoteMemberText(group.question, 200)}: **${article.title}** ${article.url}`;

  if (mode === 'dm') {
    for (const asker of askers) {
      try {
        await messenger.sendDirect(asker.userId, { content: `Hello! You asked in the server: ${news}` });
        outcome.notified += 1;
      } catch (error) {
        outcome.failed += 1;
        logger.warn({ event: 'question.notify_failed', questionId: group.id, userId: asker.userId, err: error }, 'could not DM an asker');
      }
    }
    return outcome;
  }

  const byChannel = new Map<string, string[]>();
  for (const asker of askers) {
    if (!asker.channelId) {
      outcome.skipped += 1;
      continue;
    }
    byChannel.set(asker.channelId, [...(byChannel.get(asker.channelId) ?? []), asker.userId]);
  }
  for (const [channelId, userIds] of byChannel) {
    try {
      const mentions = userIds.map((id) => `<@${id}>`).join(' ');
      await messenger.send(channelId, { content: `${mentions} ${news}`, mentionUserIds: userIds });
      outcome.notified += userIds.length;
    } catch (error) {
      outcome.failed += userIds.length;
      logger.warn({ event: 'question.notify_failed', questionId: group.id, channelId, err: error }, 'could not reply in the original channel');
    }
  }
  return outcome;
}
