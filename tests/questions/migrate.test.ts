/**
 * A question store file written by an earlier version of the bot opens with this one: it gains the new tables,
 * keeps every row, and the new features work on it.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DATABASE_FILE, SCHEMA_VERSION, SqliteQuestionStore } from '../../src/questions/sqlite.js';

/** The schema exactly as version 1 shipped it (frozen copy; the store's own migration list is not used here). */
const SCHEMA_V1 = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'schema-v1.sql'), 'utf8');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vix-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A questions.sqlite as the version-1 bot left it: WAL, user_version 1, a group with two reports, two asks. */
function writeVersion1Database(): void {
  const db = new Database(path.join(dir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_V1);
  db.pragma('user_version = 1');
  db.prepare(
    `INSERT INTO question_groups (id, normalized, question, report_count, first_at, last_at) VALUES (1, 'what is charm', 'What is charm?', 2, ?, ?)`,
  ).run('2026-03-01T09:00:00.000Z', '2026-03-01T10:00:00.000Z');
  const report = db.prepare(
    `INSERT INTO question_reports (group_id, kind, question, normalized, user_id, guild_id, channel_id, asked_at) VALUES (1, 'unanswered', 'What is charm?', 'what is charm', ?, 'g1', 'c1', ?)`,
  );
  report.run('u1', '2026-03-01T09:00:00.000Z');
  report.run('u2', '2026-03-01T10:00:00.000Z');
  const ask = db.prepare(`INSERT INTO asks (asked_at, status, slug, kind, confidence) VALUES (?, ?, ?, ?, ?)`);
  ask.run('2026-03-01T09:30:00.000Z', 'answered', 'what-is-vix', 'article', 0.9);
  ask.run('2026-03-01T09:31:00.000Z', 'unanswered', null, null, 0.1);
  db.close();
}

function inspect(): { version: number; tables: string[] } {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      tables: db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[],
    };
  } finally {
    db.close();
  }
}

it('opens a version-1 database: it gains the votes, learned phrasings and /faq tables, keeps its rows, and takes votes and learns', async () => {
  writeVersion1Database();
  expect(inspect()).toEqual({ version: 1, tables: ['asks', 'question_groups', 'question_reports'] });

  const store = new SqliteQuestionStore(dir, { now: () => new Date('2026-03-02T10:00:00Z') });
  try {
    expect(inspect()).toEqual({
      version: SCHEMA_VERSION,
      tables: ['answered_questions', 'asks', 'faq_states', 'learned_phrasings', 'question_groups', 'question_reports', 'votes'],
    });
    expect(SCHEMA_VERSION).toBe(5);
    expect(await store.get(1)).toMatchObject({ question: 'What is charm?', status: 'open', count: 2, askers: 2, firstUserId: 'u1' });
    expect(await store.stats(new Date('2026-03-01T00:00:00Z'))).toMatchObject({ asks: 2, answered: 1 });
    const answer = { kind: 'article', slug: 'what-is-vix', question: 'What is the VIX?' } as const;
    expect(await store.vote({ ...answer, value: 'not_helpful', userId: 'u1', guildId: 'g1', channelId: 'c1' })).toEqual({
      value: 'not_helpful',
      previous: null,
    });
    expect(await store.voteOf(answer, 'u1')).toBe('not_helpful');
    expect(await store.learn(1, 'what-is-charm', 'editor')).toEqual([expect.objectContaining({ text: 'What is charm?', groupId: 1 })]);
    // Answers from now on count for /faq.
    await store.recordAsk({ status: 'answered', slug: 'what-is-charm', kind: 'article', question: 'what is charm' });
    expect(await store.faqCandidates()).toContainEqual(
      expect.objectContaining({ slug: 'what-is-charm', question: 'what is charm', served: 1, resolved: false }),
    );
  } finally {
    store.close();
  }

  // Opening it again migrates nothing more and keeps the vote.
  const again = new SqliteQuestionStore(dir);
  try {
    expect(await again.voteOf({ kind: 'article', slug: 'what-is-vix', question: 'what is the vix' }, 'u1')).toBe('not_helpful');
  } finally {
    again.close();
  }
  expect(inspect().version).toBe(SCHEMA_VERSION);
});

it('refuses a database from a newer bot instead of guessing', () => {
  const db = new Database(path.join(dir, DATABASE_FILE));
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  expect(() => new SqliteQuestionStore(dir)).toThrow(`schema version ${SCHEMA_VERSION + 1}, newer than this bot knows (${SCHEMA_VERSION})`);
});
