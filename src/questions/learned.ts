/**
 * Keeps the engine's learned phrasings those of the question store: loaded at start, applied again at once after
 * an editor's resolve, and refreshed periodically so that replicas sharing a store pick up each other's.
 */
import type { Logger } from 'pino';
import type { LearnedStatus, KnowledgeService } from '../engine/service.js';
import type { QuestionStore } from './store.js';

/** How often a running bot reads the store's learned phrasings again (LEARNED_REFRESH_MS). */
export const LEARNED_REFRESH_MS = 60_000;

export class LearnedPhrasings {
  /** The phrasings last applied, as ids and slugs: a refresh that finds the same set changes nothing. */
  private applied: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<LearnedStatus> | null = null;
  /** Reads started and the latest applied: a slow read (a server database) must not undo a later one's result. */
  private readsStarted = 0;
  private readApplied = 0;

  constructor(
    private readonly store: QuestionStore,
    private readonly knowledge: KnowledgeService,
    private readonly logger: Logger,
  ) {}

  /**
   * Reads the store and serves its phrasings, exported ones too until the service reads the files they were
   * exported to (KnowledgeService.setLearned): after an export, before the /reload, the bot keeps them.
   */
  sync(options: { force?: boolean } = {}): Promise<LearnedStatus> {
    // Concurrent calls share one read, unless forced (a resolve that has just written must see its own write).
    if (this.refreshing && !options.force) return this.refreshing;
    const run = this.read(options.force ?? false).finally(() => {
      if (this.refreshing === run) this.refreshing = null;
    });
    this.refreshing = run;
    return run;
  }

  private async read(force: boolean): Promise<LearnedStatus> {
    const read = ++this.readsStarted;
    const rows = await this.store.learnedPhrasings({ includeExported: true });
    if (read < this.readApplied) return this.knowledge.learnedNow();
    this.readApplied = read;
    const signature = rows.map((row) => `${row.id}:${row.slug}:${row.exportedAt ?? ''}`).join(',');
    if (!force && signature === this.applied) return this.knowledge.learnedNow();
    const before = new Set(this.knowledge.learnedNow().dropped.map((phrasing) => `${phrasing.slug}\n${phrasing.text}`));
    const status = this.knowledge.setLearned(rows.map((row) => ({ slug: row.slug, text: row.text, exportedAt: row.exportedAt })));
    this.applied = signature;
    const newlyDropped = status.dropped.filter((phrasing) => !before.has(`${phrasing.slug}\n${phrasing.text}`));
    if (newlyDropped.length > 0) {
      this.logger.warn(
        { event: 'learned.dropped', phrasings: newlyDropped },
        'learned phrasings of articles the knowledge base does not have are not searched (unlearn them, or restore the article)',
      );
    }
    this.logger.debug({ event: 'learned.applied', applied: status.applied, dropped: status.dropped.length }, 'learned phrasings applied');
    return status;
  }

  /** Refreshes every `intervalMs` until stop(); a failed read is logged and retried at the next tick. */
  start(intervalMs: number = LEARNED_REFRESH_MS): void {
    this.stop();
    this.timer = setInterval(() => {
      this.sync().catch((error: unknown) => this.logger.warn({ event: 'learned.refresh_failed', err: error }, 'could not refresh the learned phrasings'));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
