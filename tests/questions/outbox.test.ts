/** The outbox against a real SQLite store and real faults (another connection's write lock, a slow write). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REJECTED_FILE, ReportNotRecordedError, ReportOutbox, SPOOL_FILE, type OutboxOptions, type SpooledReport } from '../../src/questions/outbox.js';
import type { QuestionReport } from '../../src/questions/sink.js';
import { DATABASE_FILE, SqliteQuestionStore, isReportRejected } from '../../src/questions/sqlite.js';
import type { StoredReportOutcome } from '../../src/questions/store.js';
import { memoryLogger, tempStore, unanswered } from './helpers.js';

let env: ReturnType<typeof tempStore>;
let spoolFile: string;
beforeEach(() => {
  env = tempStore();
  spoolFile = path.join(env.dir, SPOOL_FILE);
});
afterEach(() => env.cleanup());

function outbox(options: Partial<OutboxOptions> & { store?: SqliteQuestionStore } = {}) {
  const stored: Array<{ entry: SpooledReport; outcome: StoredReportOutcome; replayed: boolean }> = [];
  const { logger, lines } = memoryLogger();
  const store = options.store ?? env.store;
  const box = new ReportOutbox({
    write: (report, identity) => store.report(report, identity),
    onStored: (entry, outcome, replayed) => stored.push({ entry, outcome, replayed }),
    spoolFile,
    logger,
    retry: { firstMs: 20, maxMs: 50 },
    ...options,
  });
  return { box, stored, lines };
}

/** Rows as the file has them, read by a connection of the test's own. */
function rowsOnDisk(): Array<{ user_id: string; report_id: string | null; asked_at: string }> {
  const db = new Database(path.join(env.dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT user_id, report_id, asked_at FROM question_reports ORDER BY id').all() as ReturnType<typeof rowsOnDisk>;
  } finally {
    db.close();
  }
}

/** Another connection holding the write lock, as the export CLI or an operator's sqlite3 shell could. */
function holdWriteLock(): () => void {
  const lock = new Database(path.join(env.dir, DATABASE_FILE));
  lock.exec('BEGIN IMMEDIATE');
  return () => {
    lock.exec('ROLLBACK');
    lock.close();
  };
}

describe('ReportOutbox', () => {
  it('replays the spool an earlier run left, once: a report already stored is known by its id, a torn last line is skipped', async () => {
    const line = (id: string, userId: string, at: string): SpooledReport => ({ id, at, report: unanswered('What moves the VIX on Mondays?', userId) });
    const entries = [
      line('r-a', 'u1', '2026-03-01T09:00:00.000Z'),
      line('r-b', 'u2', '2026-03-01T09:01:00.000Z'),
      line('r-c', 'u3', '2026-03-01T09:02:00.000Z'),
    ];
    // The earlier run stored r-a, then died before it could clear the spool.
    await env.store.report(entries[0]!.report, { reportId: 'r-a', reportedAt: new Date(entries[0]!.at) });
    mkdirSync(path.dirname(spoolFile), { recursive: true });
    writeFileSync(spoolFile, `${entries.map((entry) => JSON.stringify(entry)).join('\n')}\n{"id":"r-d","at":"2026-03-01T09:0`);

    const { box, stored, lines } = outbox();
    expect(box.start()).toBe(3);
    await box.drain();

    expect(rowsOnDisk()).toEqual([
      { user_id: 'u1', report_id: 'r-a', asked_at: '2026-03-01T09:00:00.000Z' },
      { user_id: 'u2', report_id: 'r-b', asked_at: '2026-03-01T09:01:00.000Z' },
      { user_id: 'u3', report_id: 'r-c', asked_at: '2026-03-01T09:02:00.000Z' },
    ]);
    expect(stored.map(({ entry, outcome, replayed }) => [entry.id, outcome.alreadyStored ?? false, replayed])).toEqual([
      ['r-a', true, true],
      ['r-b', false, true],
      ['r-c', false, true],
    ]);
    expect(existsSync(spoolFile)).toBe(false);
    expect(lines.filter((entry) => entry.event === 'spool.bad_line')).toHaveLength(1);
    expect(box.status()).toEqual({ store: { state: 'ok' }, queued: 0, spoolBytes: 0 });
  });

  it('does not keep the member waiting on a slow store, and a write that went through late is not stored twice', async () => {
    let calls = 0;
    const slowFirst: OutboxOptions['write'] = async (report, identity) => {
      if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 300));
      return env.store.report(report, identity);
    };
    const { box, stored } = outbox({ write: slowFirst, storeTimeoutMs: 100, retry: { firstMs: 400, maxMs: 400 } });
    const started = performance.now();
    const submitted = await box.submit(unanswered('Is VIX mean reverting?'));
    expect(performance.now() - started).toBeLessThan(250);
    expect('queued' in submitted).toBe(true);
    expect(box.status().store.state).toBe('failing');

    await new Promise((resolve) => setTimeout(resolve, 350));
    await box.drain();
    expect(rowsOnDisk()).toHaveLength(1);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.outcome.alreadyStored).toBe(true);
    expect(box.status()).toMatchObject({ store: { state: 'ok' }, queued: 0 });
  });

  it('beyond its memory bound it keeps taking reports in the spool, and replays all of them in order', async () => {
    const store = new SqliteQuestionStore(env.dir, { busyTimeoutMs: 0 });
    try {
      const release = holdWriteLock();
      const { box, stored } = outbox({ store, maxQueued: 2 });
      for (const user of ['u1', 'u2', 'u3', 'u4']) expect('queued' in (await box.submit(unanswered('What is contango?', user)))).toBe(true);
      expect(box.status().queued).toBe(4);
      expect(readFileSync(spoolFile, 'utf8').trim().split('\n')).toHaveLength(4);
      await box.drain();
      expect(box.status().queued).toBe(4);

      release();
      await box.drain();
      expect(rowsOnDisk().map((row) => row.user_id)).toEqual(['u1', 'u2', 'u3', 'u4']);
      expect(stored.map(({ entry }) => entry.report.userId)).toEqual(['u1', 'u2', 'u3', 'u4']);
      expect(existsSync(spoolFile)).toBe(false);
    } finally {
      store.close();
    }
  });

  it('sets aside a report the store refuses as such (a broken constraint), so that the reports behind it are not blocked', async () => {
    // A report no retry can store: the schema's CHECK on the kind refuses it.
    const broken = { ...unanswered('What is a VIX call?', 'u1'), kind: 'bogus' } as unknown as QuestionReport;
    mkdirSync(path.dirname(spoolFile), { recursive: true });
    const lines = [
      { id: 'r-broken', at: '2026-03-01T09:00:00.000Z', report: broken },
      { id: 'r-fine', at: '2026-03-01T09:01:00.000Z', report: unanswered('What is a VIX call?', 'u2') },
    ];
    writeFileSync(spoolFile, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const { box, lines: logs } = outbox({ isRejected: isReportRejected });
    box.start();
    await box.drain();
    expect(rowsOnDisk().map((row) => row.report_id)).toEqual(['r-fine']);
    const rejected = readFileSync(path.join(env.dir, REJECTED_FILE), 'utf8').trim().split('\n');
    expect(rejected.map((line) => (JSON.parse(line) as { id: string; error: string }).id)).toEqual(['r-broken']);
    expect(logs.filter((line) => line.event === 'report.rejected').map((line) => line.reportId)).toEqual(['r-broken']);
    expect(existsSync(spoolFile)).toBe(false);

    // Taken directly, it is refused at once (not queued), and the store is not taken for failing.
    await expect(box.submit(broken)).rejects.toBeInstanceOf(ReportNotRecordedError);
    expect(box.status()).toMatchObject({ store: { state: 'ok' }, queued: 0 });
  });

  it('refuses a report, saying so, when the store fails, the memory queue is full and there is no spool', async () => {
    const store = new SqliteQuestionStore(env.dir, { busyTimeoutMs: 0 });
    const release = holdWriteLock();
    try {
      const { box, lines } = outbox({ store, maxQueued: 1, spoolFile: null });
      expect('queued' in (await box.submit(unanswered('What is backwardation?', 'u1')))).toBe(true);
      await expect(box.submit(unanswered('What is backwardation?', 'u2'))).rejects.toBeInstanceOf(ReportNotRecordedError);
      expect(lines.some((line) => line.event === 'report.not_recorded')).toBe(true);
      await box.close();
    } finally {
      release();
      store.close();
    }
  });
});
