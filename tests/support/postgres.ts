/** PostgreSQL for the tests: each store test gets a schema of its own, dropped afterwards. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** TEST_DATABASE_URL when the global setup reached it; null: the PostgreSQL tests are skipped. */
export const POSTGRES_URL = inject('postgresUrl');

/** The title of a skipped PostgreSQL block, so the skip shows in the report. */
export const POSTGRES_SKIPPED = 'PostgreSQL (skipped: TEST_DATABASE_URL unset or unreachable)';

/** A fresh schema name of this test run (the global setup drops any this run leaves behind). */
export function testSchemaName(): string {
  return `${inject('postgresRun')}_${randomBytes(4).toString('hex')}`;
}

/** Runs SQL in the test database with `schema` first in the search path. */
export async function withSchema<T>(schema: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL!, options: `-c search_path="${schema}"` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withSchema(schema, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** TEST_DATABASE_URL with the schema in the URL (`?options=-c search_path=...`), as an operator could write it. */
export function urlWithSchema(schema: string): string {
  const url = new URL(POSTGRES_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** A question store for an end-to-end bot: SQLite in its DATA_DIR, or PostgreSQL in a schema of its own. */
export interface StoreUnderTest {
  name: 'SQLite' | 'PostgreSQL';
  /** The block's title: PostgreSQL says it is skipped when TEST_DATABASE_URL is unset or unreachable. */
  title: string;
  skip: boolean;
  /** DATABASE_URL for the bot (undefined: SQLite) and how to remove what it stored. */
  open(): Promise<{ databaseUrl: string | undefined; cleanup(): Promise<void> }>;
}

export const STORES_UNDER_TEST: readonly StoreUnderTest[] = [
  { name: 'SQLite', title: 'SQLite', skip: false, open: async () => ({ databaseUrl: undefined, cleanup: async () => {} }) },
  {
    name: 'PostgreSQL',
    title: POSTGRES_URL ? 'PostgreSQL' : POSTGRES_SKIPPED,
    skip: !POSTGRES_URL,
    async open() {
      const schema = testSchemaName();
      await withSchema(schema, (client) => client.query(`CREATE SCHEMA "${schema}"`));
      return { databaseUrl: urlWithSchema(schema), cleanup: () => dropSchema(schema) };
    },
  },
];
