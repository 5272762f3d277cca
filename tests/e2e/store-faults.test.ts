/**
 * The real bot while its question store fails, with real faults: a second SQLite connection holding the write
 * lock, and (where this process may mount) a data folder on a tiny tmpfs that fills up. Members keep getting
 * answers within the time Discord allows, are told the truth about their reports, and every report reaches the
 * store once, in order, when it works again.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { NOTED_FOR_EDITORS, NOT_RECORDED_FOR_EDITORS, PASSED_TO_EDITORS } from '../../src/discord/render.js';
import { SPOOL_FILE } from '../../src/questions/outbox.js';
import { DATABASE_FILE } from '../../src/questions/sqlite.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { startTestBot, TEST_TOKEN, type TestBot } from '../support/bot-harness.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { slashCommand, type SentInteraction } from '../support/interactions.js';

const POLL = { timeout: 8_000, interval: 50 };
/** Quick retries, so that replays happen within the test's patience. */
const QUICK_RETRY = { retry: { firstMs: 100, maxMs: 400 } };

/** The same slash command from another member (repeats by one member are not counted twice). */
function asMember(interaction: SentInteraction, userId: string): SentInteraction {
  const member = interaction.payload.member as { user: Record<string, unknown> };
  return { ...interaction, payload: { ...interaction.payload, member: { ...member, user: { ...member.user, id: userId } } } };
}

async function askAs(bot: TestBot, userId: string, question: string): Promise<{ content: string; ms: number }> {
  const started = performance.now();
  const callback = await bot.send(asMember(slashCommand('ask', { question }), userId));
  return { content: callback.body.data.content as string, ms: performance.now() - started };
}

function rows(dataDir: string): Array<{ group_id: number; user_id: string; report_id: string | null; asked_at: string }> {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT group_id, user_id, report_id, asked_at FROM question_reports ORDER BY id').all() as ReturnType<typeof rows>;
  } finally {
    db.close();
  }
}

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe('a second connection holds the write lock', () => {
  it('answers within 2 s, spools the reports, says so, and replays them once, in order, when the lock is released', async () => {
    bot = await startTestBot({ reportToStore: true, healthPort: 0, deferAfterMs: 2_500, reportOutbox: QUICK_RETRY });
    const base = `http://127.0.0.1:${bot.app.http!.port}`;
    const lock = new Database(path.join(bot.dataDir, DATABASE_FILE));
    lock.exec('BEGIN IMMEDIATE');
    try {
      const question = 'What is the best pizza in Naples?';
      for (const user of ['m1', 'm2', 'm3']) {
        const reply = await askAs(bot, user, question);
        expect(reply.content).toContain(NOTED_FOR_EDITORS);
        expect(reply.content).not.toContain(PASSED_TO_EDITORS);
        expect(reply.ms).toBeLessThan(2_000);
      }
      // Answers need nothing from the store: one comes at once, with its embed.
      const started = performance.now();
      const answered = await bot.send(asMember(slashCommand('ask', { question: 'What is the VIX?' }), 'm9'));
      expect(answered.body.data.embeds[0].title).toBeTruthy();
      expect(performance.now() - started).toBeLessThan(1_000);
      const spool = path.join(bot.dataDir, SPOOL_FILE);
      const lines = readFileSync(spool, 'utf8').trim().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { report: { userId: string } }).report.userId)).toEqual(['m1', 'm2', 'm3']);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', store: { state: 'failing' }, queue: { reports: 3 } });
      expect(bot.logs.some((line) => line.event === 'store.failing')).toBe(true);
      await expect.poll(() => bot!.logs.some((line) => line.event === 'store.retry_failed'), POLL).toBe(true);
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }

    await expect.poll(() => bot!.app.reporter.outbox.status().queued, POLL).toBe(0);
    const stored = rows(bot.dataDir);
    expect(stored.map((row) => row.user_id)).toEqual(['m1', 'm2', 'm3']);
    expect(new Set(stored.map((row) => row.group_id)).size).toBe(1);
    expect(new Set(stored.map((row) => row.report_id)).size).toBe(3);
    expect(await bot.app.store.list({})).toMatchObject([{ count: 3, askers: 3 }]);
    expect(existsSync(path.join(bot.dataDir, SPOOL_FILE))).toBe(false);
    expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready', store: { state: 'ok' }, queue: { reports: 0, spoolBytes: 0 } });

    // The store works again: the next member's question goes straight in.
    expect((await askAs(bot, 'm4', 'What is the best pizza in Naples?')).content).toContain(PASSED_TO_EDITORS);
    expect(await bot.app.store.list({})).toMatchObject([{ count: 4 }]);
  });
});

/** `npm start` as a child process (tsx), its log lines collected. */
function startBotProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', DISCORD_GUILD_ID: '', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const events = () =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; event?: string });
  return { child, exited, events, stderr: () => stderr };
}

describe('a restart', () => {
  it('replays what the killed process spooled, once', async () => {
    const fake = await FakeDiscord.start();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vix-restart-'));
    const env = { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir };
    try {
      const first = startBotProcess(env);
      await expect.poll(() => first.events().map((line) => line.msg), { timeout: 15_000 }).toContain('bot ready');
      const lock = new Database(path.join(dataDir, DATABASE_FILE));
      lock.exec('BEGIN IMMEDIATE');
      const interaction = slashCommand('ask', { question: 'What is the best pizza in Naples?' });
      fake.dispatchInteraction(interaction.payload);
      expect((await fake.waitForCallback(interaction.id)).body.data.content).toContain(NOTED_FOR_EDITORS);
      // The supervisor's kill -9: no shutdown, no flush; only the spool's fsync'd line survives.
      first.child.kill('SIGKILL');
      await first.exited;
      lock.exec('ROLLBACK');
      lock.close();
      expect(rows(dataDir)).toEqual([]);
      expect(readFileSync(path.join(dataDir, SPOOL_FILE), 'utf8').trim().split('\n')).toHaveLength(1);

      const second = startBotProcess(env);
      try {
        await expect.poll(() => second.events().map((line) => line.event), { timeout: 15_000 }).toContain('spool.drained');
        await expect.poll(() => second.events().map((line) => line.msg), { timeout: 15_000 }).toContain('bot ready');
        expect(rows(dataDir)).toHaveLength(1);
        expect(existsSync(path.join(dataDir, SPOOL_FILE))).toBe(false);
      } finally {
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }
    } finally {
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});

/** A tmpfs of `size` at a fresh folder; null where this process may not mount (not root, no CAP_SYS_ADMIN). */
function mountTmpfs(size: string): { dir: string; unmount: () => void } | null {
  const dir = mkdtempSync(path.join(tmpdir(), 'vix-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const tmpfs = mountTmpfs('2m');
tmpfs?.unmount();

describe.skipIf(!tmpfs)('the data folder fills up (a tiny tmpfs)', () => {
  it('queues in memory when neither the store nor the spool can write, says "could not be recorded" once the queue is full, and replays when space is freed', async () => {
    const disk = mountTmpfs('2m')!;
    const filler = path.join(disk.dir, 'filler');
    try {
      bot = await startTestBot({ reportToStore: true, deferAfterMs: 2_500, dataDir: disk.dir, reportOutbox: { ...QUICK_RETRY, maxQueued: 2 } });
      // The store has pages in use; now no block is left for new ones, nor for the spool.
      try {
        writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
      } catch {
        // ENOSPC: the disk is full, which is the point.
      }
      const questions = Array.from({ length: 40 }, (_, index) => `Why does the spread on contract ${index} widen at night?`);
      const replies: string[] = [];
      for (const [index, question] of questions.slice(0, 3).entries()) replies.push((await askAs(bot, `m${index}`, question)).content);
      expect(replies[0]).toContain(NOTED_FOR_EDITORS);
      expect(replies[1]).toContain(NOTED_FOR_EDITORS);
      expect(replies[2]).toContain(NOT_RECORDED_FOR_EDITORS);
      expect(bot.logs.some((line) => line.event === 'spool.write_failed')).toBe(true);
      expect(bot.logs.some((line) => line.event === 'report.not_recorded')).toBe(true);

      rmSync(filler, { force: true });
      await expect.poll(() => bot!.app.reporter.outbox.status().queued, POLL).toBe(0);
      expect(rows(disk.dir).map((row) => row.user_id)).toEqual(['m0', 'm1']);
    } finally {
      await bot?.stop();
      bot = undefined;
      disk.unmount();
    }
  });
});
