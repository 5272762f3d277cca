/**
 * The question store backends under one test suite: every suite written with `describeStores` runs against SQLite
 * always and against PostgreSQL when TEST_DATABASE_URL answers (else its PostgreSQL block shows as skipped).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe } from 'vitest';
import { PostgresQuestionStore } from '../../src/questions/postgres.js';
import type { RateLimitCounter } from '../../src/questions/rate-limit.js';
import { DATABASE_FILE, SqliteQuestionStore } from '../../src/questions/sqlite.js';
import type { QuestionStore } from '../../src/questions/store.js';
import { POSTGRES_SKIPPED, POSTGRES_URL, dropSchema, testSchemaName, withSchema } from '../support/postgres.js';

export const TEST_START = new Date('2026-03-02T10:00:00Z');

export interface VoteRow {
  answer_kind: string;
  slug: string;
  question: string;
  user_id: string;
  helpful: boolean;
}

/** A store on an empty database (a temporary DATA_DIR, or a schema of its own) with a clock the test moves. */
export interface StoreEnv {
  backend: 'sqlite' | 'postgres';
  store: QuestionStore;
  clock: { now: number };
  advance(ms: number): void;
  /** Another store on the same database, as another process (or replica) would open it; closed by cleanup. */
  openAnother(): Promise<QuestionStore>;
  /** The members' rate limits as the store's backend counts them (SQLite: in this process). */
  rateLimitCounter(store?: QuestionStore): RateLimitCounter | undefined;
  /** The votes table as stored, in id order. */
  voteRows(): Promise<VoteRow[]>;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  open(start?: Date): Promise<StoreEnv>;
}

function clockFrom(start: Date) {
  const clock = { now: start.getTime() };
  return { clock, now: () => new Date(clock.now), advance: (ms: number) => void (clock.now += ms) };
}

export const sqliteBackend: Backend = {
  name: 'SQLite',
  async open(start = TEST_START) {
    const dir = mkdtempSync(path.join(tmpdir(), 'vix-questions-'));
    const { clock, now, advance } = clockFrom(start);
    const store = new SqliteQuestionStore(dir, { now });
    const others: SqliteQuestionStore[] = [];
    return {
      backend: 'sqlite',
      store,
      clock,
      advance,
      async openAnother() {
        const other = new SqliteQuestionStore(dir, { now });
        others.push(other);
        return other;
      },
      rateLimitCounter: () => undefined,
      async voteRows() {
        const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
        try {
          const rows = db.prepare('SELECT answer_kind, slug, question, user_id, helpful FROM votes ORDER BY id').all() as Array<
            Omit<VoteRow, 'helpful'> & { helpful: 0 | 1 }
          >;
          return rows.map((row) => ({ ...row, helpful: row.helpful === 1 }));
        } finally {
          db.close();
        }
      },
      async cleanup() {
        for (const open of [store, ...others]) open.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresBackend: Backend = {
  name: 'PostgreSQL',
  async open(start = TEST_START) {
    const schema = testSchemaName();
    const { clock, now, advance } = clockFrom(start);
    // Small pools: many test files run at once against one server.
    const options = { now, schema, maxConnections: 4 };
    const store = await PostgresQuestionStore.open(POSTGRES_URL!, options);
    const others: PostgresQuestionStore[] = [];
    return {
      backend: 'postgres',
      store,
      clock,
      advance,
      async openAnother() {
        const other = await PostgresQuestionStore.open(POSTGRES_URL!, options);
        others.push(other);
        return other;
      },
      rateLimitCounter: (of = store) => (of as PostgresQuestionStore).rateLimitCounter(),
      voteRows: () =>
        withSchema(schema, async (client) => (await client.query<VoteRow>('SELECT answer_kind, slug, question, user_id, helpful FROM votes ORDER BY id')).rows),
      async cleanup() {
        await Promise.all([store, ...others].map((open) => open.close()));
        await dropSchema(schema);
      },
    };
  },
};

/**
 * One suite, run once per backend: `body` gets the env of the running test (a fresh store per test, cleaned up
 * after it) and the backend.
 */
export function describeStores(title: string, body: (env: StoreEnv, backend: Backend) => void): void {
  for (const backend of [sqliteBackend, postgresBackend]) {
    if (backend === postgresBackend && !POSTGRES_URL) {
      describe.skip(`${title} (${POSTGRES_SKIPPED})`, () => body({} as StoreEnv, backend));
      continue;
    }
    describe(`${title} (${backend.name})`, () => {
      const env = {} as StoreEnv;
      beforeEach(async () => {
        Object.assign(env, await backend.open());
      });
      afterEach(() => env.cleanup());
      body(env, backend);
    });
  }
}
