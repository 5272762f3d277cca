/**
 * Vitest global setup: is there a PostgreSQL to test against? TEST_DATABASE_URL names it (CI sets it in .ci/run).
 * Unset or unreachable, the PostgreSQL tests are skipped and this says so once, so that `npm test` passes on a
 * laptop without PostgreSQL and nobody mistakes the skip for a pass. Schemas left by this run are dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { describeDatabaseUrl } from '../../src/questions/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** TEST_DATABASE_URL when it answered; null when the PostgreSQL tests are skipped. */
    postgresUrl: string | null;
    /** Prefix of the schemas this run creates (t_<run>_...). */
    postgresRun: string;
  }
}

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL || null;
  const run = `t_${randomBytes(4).toString('hex')}`;
  const failure = url ? await reachable(url) : null;
  // Where it pointed, never its password.
  const problem = !url ? 'TEST_DATABASE_URL is not set' : failure ? `TEST_DATABASE_URL (${describeDatabaseUrl(url)}) did not answer: ${failure}` : null;
  // CI must not pass by skipping them: there, a missing or unreachable PostgreSQL fails the run.
  if (problem && process.env.TEST_DATABASE_REQUIRED === '1') throw new Error(`TEST_DATABASE_REQUIRED=1 but PostgreSQL is not usable: ${problem}`);
  if (problem) console.warn(`\n[PostgreSQL tests skipped] ${problem}. Point TEST_DATABASE_URL=postgres://... at a server to run them.\n`);
  project.provide('postgresUrl', problem ? null : url);
  project.provide('postgresRun', run);
  return async () => {
    if (problem || !url) return;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1`, [`${run}\\_%`]);
      for (const { name } of rows) await client.query(`DROP SCHEMA "${name}" CASCADE`);
    } finally {
      await client.end();
    }
  };
}
