/**
 * Reports on their way to the store. A report the store cannot take now (locked, read-only, disk full, down, or
 * slower than the member can wait) is queued instead of lost: in a bounded queue in memory and, where the disk
 * allows, in a spool file of JSON lines (fsync'd appends). A retry loop with backoff replays the queue in order
 * once the store works again, and a restart replays what the spool still holds.
 *
 * Exactly once: every report gets an id (uuid) when the bot takes it, and the store keeps it (a unique index in
 * SQLite), so a replay of a report that did reach the store (a write that timed out but went through, a crash
 * between the store's commit and the spool's clean-up) is recognised and not stored again. The spool is therefore
 * only appended to during an outage and removed once everything in it was delivered.
 */
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { QuestionReport } from './sink.js';
import type { ReportIdentity, StoredReportOutcome } from './store.js';

/** The spool under DATA_DIR. */
export const SPOOL_FILE = path.join('spool', 'reports.jsonl');
/** Next to it: reports the store refused as such (not for its state), kept for an operator instead of retried forever. */
export const REJECTED_FILE = path.join('spool', 'rejected.jsonl');

/** Reports held in memory while the store fails; beyond it, only the spool file takes more. */
export const DEFAULT_MAX_QUEUED = 1_000;
/** How long a member's reply waits for the store before the report is queued instead. */
export const DEFAULT_STORE_TIMEOUT_MS = 1_500;
/** The retry loop's first and longest pause. */
export const DEFAULT_RETRY = { firstMs: 500, maxMs: 30_000 };

/** One line of the spool. */
export interface SpooledReport {
  id: string;
  /** When the member reported it (ISO). */
  at: string;
  report: QuestionReport;
}

export type StoreHealth = { state: 'ok' } | { state: 'failing'; since: string; error: string };

export interface OutboxStatus {
  store: StoreHealth;
  /** Reports waiting for the store (in memory and in the spool only). */
  queued: number;
  /** Size of the spool file in bytes (0 when there is none). */
  spoolBytes: number;
}

/** Neither the store, nor the memory queue, nor the spool could take the report. */
export class ReportNotRecordedError extends Error {}

export interface OutboxOptions {
  /** Writes one report to the store (the same id twice stores it once). */
  write(report: QuestionReport, identity: ReportIdentity): Promise<StoredReportOutcome>;
  /** Called once per report the store took, directly or on replay. */
  onStored(entry: SpooledReport, outcome: StoredReportOutcome, replayed: boolean): void;
  /** The spool file; null: memory only. */
  spoolFile: string | null;
  /**
   * Whether an error is about the report itself (a constraint it breaks), which no retry can fix. Such a report is
   * set aside in REJECTED_FILE next to the spool rather than left at the head of the queue, blocking every other.
   */
  isRejected?: (error: unknown) => boolean;
  logger: Logger;
  maxQueued?: number;
  storeTimeoutMs?: number;
  retry?: { firstMs: number; maxMs: number };
  now?: () => Date;
}

export type Submitted = { stored: StoredReportOutcome } | { queued: SpooledReport };

export class ReportOutbox {
  /** In order; the head is replayed first. */
  private readonly queue: SpooledReport[] = [];
  /** Reports in the spool file only (the memory queue was full); read back when the queue runs dry. */
  private onDiskOnly = 0;
  /** Ids delivered since the spool file was started (its lines stay until it is removed). */
  private readonly delivered = new Set<string>();
  private health: StoreHealth = { state: 'ok' };
  private spoolBroken = false;
  /** Ids of queued reports the spool could not take: a restart loses them. */
  private readonly memoryOnly = new Set<string>();
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private closed = false;
  private readonly maxQueued: number;
  private readonly storeTimeoutMs: number;
  private readonly retry: { firstMs: number; maxMs: number };
  private readonly now: () => Date;

  constructor(private readonly options: OutboxOptions) {
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.now = options.now ?? (() => new Date());
  }

  /** Start-up: reads what a previous run left in the spool and replays it (in the background). Returns how many. */
  start(): number {
    const pending = this.refill();
    if (pending > 0) {
      this.options.logger.info({ event: 'spool.found', reports: pending, file: this.options.spoolFile }, 'replaying reports a previous run spooled');
      this.schedule(0);
    }
    return pending;
  }

  /** Stores the report, or queues it when the store fails or is slow; rejects with ReportNotRecordedError when nothing can take it. */
  async submit(report: QuestionReport): Promise<Submitted> {
    const entry: SpooledReport = { id: randomUUID(), at: this.now().toISOString(), report };
    // Behind a backlog a report waits its turn: the editors get reports in the order members sent them.
    if (this.pending() === 0) {
      try {
        const outcome = await this.write(entry);
        this.markOk();
        this.stored(entry, outcome, false);
        return { stored: outcome };
      } catch (error) {
        if (this.options.isRejected?.(error)) {
          this.setAside(entry, error);
          throw new ReportNotRecordedError('the question store refused the report', { cause: error });
        }
        this.markFailing(error);
      }
    }
    this.enqueue(entry);
    return { queued: entry };
  }

  /** The store's state as the last write found it. */
  get storeHealth(): StoreHealth {
    return this.health;
  }

  status(): OutboxStatus {
    return { store: this.health, queued: this.pending(), spoolBytes: this.spoolBytes() };
  }

  /** Replays now (tests, and shutdown's last try); resolves when the queue is empty or the store failed again. */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.draining) {
      const run = this.replay().then((retryInMs) => {
        this.draining = undefined;
        if (retryInMs !== null) this.schedule(retryInMs);
      });
      this.draining = run;
    }
    return this.draining;
  }

  /** Stops retrying; what is still queued stays in the spool for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.draining;
    if (this.pending() > 0) {
      const lost = this.memoryOnly.size;
      this.options.logger.warn(
        { event: 'spool.left', queued: this.pending(), lost, file: this.options.spoolFile },
        lost > 0
          ? `stopping with reports the store has not taken; ${lost} of them could not be spooled and are lost`
          : 'stopping; spooled reports are replayed at the next start',
      );
    }
  }

  private pending(): number {
    return this.queue.length + this.onDiskOnly;
  }

  private async write(entry: SpooledReport): Promise<StoredReportOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the question store did not answer within ${this.storeTimeoutMs} ms`)), this.storeTimeoutMs);
    });
    try {
      return await Promise.race([this.options.write(entry.report, { reportId: entry.id, reportedAt: new Date(entry.at) }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private enqueue(entry: SpooledReport): void {
    const onDisk = this.append(entry);
    // Once reports wait in the spool only, the memory queue takes none ahead of them (order), unless the disk fails.
    if (this.queue.length < this.maxQueued && (this.onDiskOnly === 0 || !onDisk)) {
      this.queue.push(entry);
      if (!onDisk) this.memoryOnly.add(entry.id);
    } else if (onDisk) this.onDiskOnly++;
    else {
      this.options.logger.error(
        { event: 'report.not_recorded', reportId: entry.id, kind: entry.report.kind, queued: this.pending() },
        'report lost: the store is failing, the memory queue is full and the spool cannot be written',
      );
      throw new ReportNotRecordedError('the question store is failing, the queue is full and the spool cannot be written');
    }
    this.options.logger.warn(
      { event: 'report.queued', reportId: entry.id, kind: entry.report.kind, queued: this.pending(), spooled: onDisk },
      onDisk ? 'report spooled until the store works again' : 'report queued in memory only (the spool cannot be written)',
    );
    this.schedule(this.retryDelay());
  }

  /** Appends one line and fsyncs it; false when the disk refuses (full, read-only, I/O error). */
  private append(entry: SpooledReport): boolean {
    const file = this.options.spoolFile;
    if (!file) return false;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const fd = openSync(file, 'a');
      const size = fstatSync(fd).size;
      try {
        writeSync(fd, `${JSON.stringify(entry)}\n`);
        fsyncSync(fd);
      } catch (error) {
        // A line half written on a full disk would swallow the next one: cut it off.
        try {
          ftruncateSync(fd, size);
        } catch {
          // Reading the spool skips a torn line, and the next start begins a fresh one.
        }
        throw error;
      } finally {
        closeSync(fd);
      }
      if (this.spoolBroken) this.options.logger.info({ event: 'spool.writable', file }, 'the spool can be written again');
      this.spoolBroken = false;
      return true;
    } catch (error) {
      if (!this.spoolBroken)
        this.options.logger.error({ event: 'spool.write_failed', file, err: error }, `cannot write the spool ${file}; queuing in memory only`);
      this.spoolBroken = true;
      return false;
    }
  }

  /** Loads undelivered spool lines into the memory queue (up to its bound); returns how many are pending. */
  private refill(): number {
    const file = this.options.spoolFile;
    if (!file || !existsSync(file)) return this.pending();
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      this.options.logger.error({ event: 'spool.read_failed', file, err: error }, `cannot read the spool ${file}`);
      return this.pending();
    }
    const known = new Set([...this.delivered, ...this.queue.map((entry) => entry.id)]);
    let onDiskOnly = 0;
    for (const [index, line] of text.split('\n').entries()) {
      if (!line.trim()) continue;
      let entry: SpooledReport;
      try {
        entry = JSON.parse(line) as SpooledReport;
        if (typeof entry.id !== 'string' || typeof entry.at !== 'string' || typeof entry.report?.question !== 'string') throw new Error('not a spooled report');
      } catch (error) {
        // A line cut short by a crash mid-append: the member was not told it was noted, so nothing is owed.
        this.options.logger.warn({ event: 'spool.bad_line', file, line: index + 1, err: error }, 'skipping an unreadable spool line');
        continue;
      }
      if (known.has(entry.id)) continue;
      known.add(entry.id);
      if (this.queue.length < this.maxQueued) this.queue.push(entry);
      else onDiskOnly++;
    }
    this.onDiskOnly = onDiskOnly;
    // After a torn last line, the next append starts on a line of its own.
    if (text.length > 0 && !text.endsWith('\n')) this.appendRaw(file, '\n');
    return this.pending();
  }

  private appendRaw(file: string, text: string): void {
    try {
      const fd = openSync(file, 'a');
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
    } catch {
      // The next append reports the disk's state.
    }
  }

  private spoolBytes(): number {
    const file = this.options.spoolFile;
    if (!file) return 0;
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  }

  private retryDelay(): number {
    return Math.min(this.retry.maxMs, this.retry.firstMs * 2 ** Math.min(this.attempt, 20));
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.timer || this.draining) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delayMs);
    // Shutdown does not wait for a retry; the spool keeps the reports.
    this.timer.unref();
  }

  /** Stores the queue's reports in order; returns the pause before the next try when the store failed, else null. */
  private async replay(): Promise<number | null> {
    const { logger } = this.options;
    let replayed = 0;
    while (!this.closed) {
      if (this.queue.length === 0 && this.onDiskOnly > 0) this.refill();
      const entry = this.queue[0];
      if (!entry) {
        // Reports left in a spool that cannot be read now: try again later.
        if (this.onDiskOnly > 0) return this.retryDelay();
        break;
      }
      let outcome: StoredReportOutcome;
      try {
        outcome = await this.write(entry);
      } catch (error) {
        if (this.options.isRejected?.(error)) {
          this.queue.shift();
          this.delivered.add(entry.id);
          this.memoryOnly.delete(entry.id);
          this.setAside(entry, error);
          continue;
        }
        this.markFailing(error);
        this.attempt++;
        const retryInMs = this.retryDelay();
        logger.warn(
          { event: 'store.retry_failed', attempt: this.attempt, queued: this.pending(), retryInMs, err: error },
          'the question store still fails; retrying later',
        );
        return retryInMs;
      }
      this.queue.shift();
      this.delivered.add(entry.id);
      this.memoryOnly.delete(entry.id);
      replayed++;
      this.markOk();
      this.stored(entry, outcome, true);
    }
    if (this.pending() === 0) {
      this.removeSpool();
      if (replayed > 0) logger.info({ event: 'spool.drained', replayed }, 'every queued report is in the store');
    }
    return null;
  }

  /** The store has the report; what follows (log event, editors' channel) must not undo that. */
  private stored(entry: SpooledReport, outcome: StoredReportOutcome, replayed: boolean): void {
    try {
      this.options.onStored(entry, outcome, replayed);
    } catch (error) {
      this.options.logger.error({ event: 'report.after_store_failed', reportId: entry.id, err: error }, 'a report was stored, but what follows failed');
    }
  }

  /** A report the store refuses as such: logged and kept in REJECTED_FILE for an operator (best effort). */
  private setAside(entry: SpooledReport, error: unknown): void {
    const file = this.options.spoolFile ? path.join(path.dirname(this.options.spoolFile), path.basename(REJECTED_FILE)) : null;
    let kept = false;
    if (file) {
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        appendFileSync(file, `${JSON.stringify({ ...entry, error: error instanceof Error ? error.message : String(error) })}\n`);
        kept = true;
      } catch {
        // Logged below with the report's id; the log line is then the only trace.
      }
    }
    this.options.logger.error(
      { event: 'report.rejected', reportId: entry.id, kind: entry.report.kind, file: kept ? file : null, err: error },
      'the question store refused a report; set aside, not retried',
    );
  }

  private removeSpool(): void {
    this.delivered.clear();
    const file = this.options.spoolFile;
    if (!file) return;
    try {
      rmSync(file, { force: true });
    } catch (error) {
      // Harmless: its reports are stored and their ids make a replay a no-op.
      this.options.logger.warn({ event: 'spool.remove_failed', file, err: error }, `cannot remove the replayed spool ${file}`);
    }
  }

  private markOk(): void {
    this.attempt = 0;
    if (this.health.state === 'ok') return;
    this.options.logger.info({ event: 'store.recovered', failingSince: this.health.since }, 'the question store works again');
    this.health = { state: 'ok' };
  }

  private markFailing(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.health.state === 'failing') {
      this.health = { ...this.health, error: message };
      return;
    }
    this.health = { state: 'failing', since: this.now().toISOString(), error: message };
    this.options.logger.error({ event: 'store.failing', err: error }, 'the question store fails; reports are queued and replayed when it works again');
  }
}
