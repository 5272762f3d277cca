/**
 * Keeps the editors' channel in step with the question store: one post per open question, edited as repeats come
 * in and when an editor resolves or dismisses it. Shutdown waits (bounded) for the posts still queued. With several
 * replicas, the store's post claim decides who posts: the process whose report created the question.
 */
import type { Logger } from 'pino';
import type { MemberRateLimits } from '../../questions/rate-limit.js';
import type { QuestionStore, StoredReportOutcome } from '../../questions/store.js';
import type { Messenger } from './messenger.js';
import { editorsMessage, type SlugLookup } from './render.js';

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
 * Updates of one question run one after the other in this process; across processes, only the holder of the store's
 * claim posts, so a burst of repeats cannot post the same question twice.
 */
export class EditorsChannel {
  private readonly queues = new Map<number, Promise<void>>();
  private closed = false;

  constructor(private readonly options: EditorsChannelOptions) {}

  /** Called after a report was stored; returns at once (the member's reply must not wait for the post). */
  afterReport(outcome: StoredReportOutcome, userId: string): void {
    if (outcome.duplicate) return;
    // The report that created the group holds its post claim already (the store took it with the group).
    this.enqueue(outcome.questionId, () => this.sync(outcome.questionId, { userId, claimed: outcome.isNew }));
  }

  /** After a status change: edits the posted message, if any. */
  refresh(questionId: number): Promise<void> {
    return this.enqueue(questionId, () => this.sync(questionId, null));
  }

  /** Posts and edits queued or running now. */
  get pending(): number {
    return this.queues.size;
  }

  /** Resolves when every pending post and edit has finished (tests). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values());
  }

  /**
   * Shutdown: takes no new work, then waits up to `timeoutMs` for what is queued. True when everything finished;
   * false when time ran out (what was left is logged; the questions themselves are in the store already).
   */
  async close(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      const finished = await Promise.race([this.idle().then(() => true as const), timedOut]);
      if (!finished)
        this.options.logger.warn({ event: 'editors_channel.unfinished', pending: this.queues.size }, "shutdown: editors' channel posts still pending");
      return finished;
    } finally {
      clearTimeout(timer);
    }
  }

  private enqueue(questionId: number, task: () => Promise<void>): Promise<void> {
    if (this.closed) {
      this.options.logger.warn({ event: 'editors_channel.closed', questionId }, "shutting down: editors' channel not updated");
      return Promise.resolve();
    }
    const next = (this.queues.get(questionId) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => this.options.logger.warn({ event: 'editors_channel.failed', questionId, err: error }, 'could not update the editors channel'))
      .finally(() => {
        if (this.queues.get(questionId) === next) this.queues.delete(questionId);
      });
    this.queues.set(questionId, next);
    return next;
  }

  /** `reporter` is null for editor actions, which never post a new message. */
  private async sync(questionId: number, reporter: { userId: string; claimed: boolean } | null): Promise<void> {
    const { store, messenger, channelId, limits, logger } = this.options;
    const group = await store.get(questionId);
    if (!group) return;
    if (group.editorsMessage) {
      await messenger.edit(group.editorsMessage.channelId, group.editorsMessage.messageId, editorsMessage(group, this.options.lookup()));
      return;
    }
    if (reporter === null || group.status !== 'open') return;
    // A repeat posts only a question nobody is posting: one whose creator was capped, failed or died.
    if (!reporter.claimed && !(await store.claimEditorsPost(questionId))) return;
    let posted = false;
    try {
      if (limits && !(await limits.allowEditorialPost(reporter.userId))) {
        logger.info(
          { event: 'editors_channel.capped', questionId, userId: reporter.userId },
          'member reached the editors channel cap; question stored, not posted',
        );
        return;
      }
      // Read again: repeats may have come in (through any replica) while the claim and the cap were checked.
      const current = (await store.get(questionId)) ?? group;
      const sent = await messenger.send(channelId, editorsMessage(current, this.options.lookup()));
      await store.setEditorsMessage(questionId, { channelId, messageId: sent.id });
      posted = true;
      // A repeat stored (by any replica) after that read found no post to edit and left it to this one.
      const after = await store.get(questionId);
      if (after && (after.count !== current.count || after.status !== current.status)) {
        await messenger.edit(channelId, sent.id, editorsMessage(after, this.options.lookup()));
      }
    } finally {
      if (!posted) await store.releaseEditorsPost(questionId);
    }
  }
}
