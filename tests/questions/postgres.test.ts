/**
 * What only the PostgreSQL store has: versioned migrations shared by replicas, the schema given in the URL, the
 * rate limits and editors'-channel post claims that hold across processes, and errors that never show a password.
 * (Everything the two stores share is in store.test.ts and votes.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import {
  DatabaseUnavailableError,
  POSTGRES_SCHEMA_VERSION,
  PostgresQuestionStore,
  describeDatabaseUrl,
  isPostgresReportRejected,
} from '../../src/questions/postgres.js';
import { MemberRateLimits } from '../../src/questions/rate-limit.js';
import { POSTGRES_SKIPPED, POSTGRES_URL, dropSchema, testSchemaName, urlWithSchema, withSchema } from '../support/postgres.js';
import { postgresBackend } from './backends.js';
import { unanswered } from './helpers.js';

describe('PostgreSQL connection problems', () => {
  it('names the server, user and database it could not reach, never the password', async () => {
    const attempt = PostgresQuestionStore.open('postgres://bot:pa55-w0rd@127.0.0.1:1/vixshield');
    await expect(attempt).rejects.toThrow(DatabaseUnavailableError);
    const error = (await attempt.catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/^could not open the question store in PostgreSQL at bot@127\.0\.0\.1:1\/vixshield: connect ECONNREFUSED/);
    expect(`${error.message} ${error.stack}`).not.toContain('pa55-w0rd');
  });

  it('tells a report the database refuses as such (SQLSTATE 22, 23) from a database in trouble', () => {
    expect(isPostgresReportRejected({ code: '23505' })).toBe(true);
    expect(isPostgresReportRejected({ code: '22021' })).toBe(true);
    expect(isPostgresReportRejected({ code: '57P01' })).toBe(false);
    expect(isPostgresReportRejected(new Error('connect ECONNREFUSED'))).toBe(false);
  });

  it('describes a URL without its password', () => {
    expect(describeDatabaseUrl('postgresql://bot:secret@db.internal/vix?sslmode=require')).toBe('bot@db.internal:5432/vix');
    expect(describeDatabaseUrl('not a url')).toBe('an unreadable DATABASE_URL');
  });
});

const describePostgres = POSTGRES_URL ? describe : describe.skip;

describePostgres(POSTGRES_URL ? 'PostgresQuestionStore' : `PostgresQuestionStore (${POSTGRES_SKIPPED})`, () => {
  async function inSchema<T>(work: (schema: string) => Promise<T>): Promise<T> {
    const schema = testSchemaName();
    try {
      return await work(schema);
    } finally {
      await dropSchema(schema);
    }
  }

  it('creates its tables and records each migration; replicas starting together migrate once', () =>
    inSchema(async (schema) => {
      const stores = await Promise.all([1, 2, 3].map(() => PostgresQuestionStore.open(POSTGRES_URL!, { schema, maxConnections: 2 })));
      try {
        expect(await stores[0]!.schemaVersion()).toBe(POSTGRES_SCHEMA_VERSION);
        const { migrations, tables } = await withSchema(schema, async (client) => ({
          migrations: (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows,
          tables: (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, [schema])).rows.map((row) => row.tablename),
        }));
        expect(migrations).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
        expect(tables).toEqual([
          'answered_questions',
          'asks',
          'faq_states',
          'learned_phrasings',
          'question_groups',
          'question_reports',
          'rate_limit_hits',
          'schema_migrations',
          'votes',
        ]);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    }));

  it('reopens a database without migrating it again, keeping its rows; refuses one from a newer bot', () =>
    inSchema(async (schema) => {
      const first = await PostgresQuestionStore.open(POSTGRES_URL!, { schema });
      await first.report(unanswered('What is a calendar spread?'));
      await first.close();
      const again = await PostgresQuestionStore.open(POSTGRES_URL!, { schema });
      expect((await again.list({})).map((group) => group.question)).toEqual(['What is a calendar spread?']);
      await again.close();

      await withSchema(schema, (client) => client.query('INSERT INTO schema_migrations (version) VALUES (99)'));
      await expect(PostgresQuestionStore.open(POSTGRES_URL!, { schema })).rejects.toThrow(/has schema version 99, newer than this bot knows/);
    }));

  it('honours the schema given in the URL (?options=-c search_path=...)', () =>
    inSchema(async (schema) => {
      await withSchema(schema, (client) => client.query(`CREATE SCHEMA "${schema}"`));
      const store = await PostgresQuestionStore.open(urlWithSchema(schema));
      try {
        await store.report(unanswered('What is theta decay?'));
      } finally {
        await store.close();
      }
      const rows = await withSchema(schema, async (client) => (await client.query('SELECT question FROM question_groups')).rows);
      expect(rows).toEqual([{ question: 'What is theta decay?' }]);
    }));

  it('reports idle connections the server drops, and reconnects on the next query', () =>
    inSchema(async (schema) => {
      const errors: Error[] = [];
      const applicationName = `vix-test-${schema}`;
      const store = await PostgresQuestionStore.open(POSTGRES_URL!, { schema, applicationName, onConnectionError: (error) => errors.push(error) });
      try {
        await store.report(unanswered('What is a straddle?'));
        // As a server restart or a failover would: every connection of the store is ended from the server side.
        await withSchema(schema, (client) =>
          client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]),
        );
        await expect.poll(() => errors.length).toBeGreaterThan(0);
        expect(await store.report(unanswered('what is a straddle', 'u2'))).toMatchObject({ isNew: false, count: 2 });
      } finally {
        await store.close();
      }
    }));

  it("keeps the editors'-channel post with the replica that created the question", async () => {
    const env = await postgresBackend.open();
    try {
      const other = await env.openAnother();
      const { questionId } = await env.store.report(unanswered('What is a collar?', 'u1'));
      expect(await other.report(unanswered('what is a collar', 'u2'))).toMatchObject({ questionId, isNew: false });
      // The other replica's repeat may not post it while the creator holds the claim.
      expect(await other.claimEditorsPost(questionId)).toBe(false);
      await env.store.releaseEditorsPost(questionId);
      const claims = await Promise.all([env.store.claimEditorsPost(questionId), other.claimEditorsPost(questionId)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
    } finally {
      await env.cleanup();
    }
  });

  it('holds the members’ rate limits across replicas, also when their hits arrive at once', async () => {
    const env = await postgresBackend.open();
    try {
      const other = await env.openAnother();
      const settings = { ask: { max: 3, windowMs: 60_000 }, flag: null, editorialPosts: { max: 1, windowMs: 3_600_000 } };
      const replicas = [env.store, other].map((store) => new MemberRateLimits(settings, { counter: env.rateLimitCounter(store) }));
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.check('ask', 'u1')));
      expect(replies.filter((reply) => reply === null)).toHaveLength(3);
      expect(replies.find((reply) => reply !== null)).toBe('Slow down: you can ask questions 3 times per minute. Try again in 60 s.');
      expect(await replicas[1]!.check('ask', 'u2')).toBeNull();
      expect(await replicas[1]!.check('flag', 'u1')).toBeNull();
      // The window slides on the shared clock: a minute later the member may ask again.
      env.advance(45_000);
      expect(await replicas[0]!.check('ask', 'u1')).toBe('Slow down: you can ask questions 3 times per minute. Try again in 15 s.');
      env.advance(15_000);
      expect(await replicas[1]!.check('ask', 'u1')).toBeNull();
      // One editors'-channel post per hour, whichever replica asks.
      expect(await replicas[0]!.allowEditorialPost('u1')).toBe(true);
      expect(await replicas[1]!.allowEditorialPost('u1')).toBe(false);
    } finally {
      await env.cleanup();
    }
  });
});
