/** Opens the question store the configuration names: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR. */
import { PostgresQuestionStore } from './postgres.js';
import type { RateLimitCounter } from './rate-limit.js';
import { SqliteQuestionStore } from './sqlite.js';
import type { QuestionStore } from './store.js';

export interface OpenedStore {
  store: QuestionStore;
  /** Where members' rate-limit hits are counted: the database the replicas share; undefined: in this process. */
  rateLimitCounter: RateLimitCounter | undefined;
  /** For the start-up log line: the SQLite file, or user@host:port/database (never a password). */
  location: string;
  backend: 'sqlite' | 'postgres';
}

export async function openQuestionStore(options: {
  dataDir: string;
  databaseUrl?: string;
  mustExist?: boolean;
  /** PostgreSQL: an idle connection failed (it is replaced on the next query). */
  onConnectionError?: (error: Error) => void;
}): Promise<OpenedStore> {
  if (options.databaseUrl) {
    const store = await PostgresQuestionStore.open(options.databaseUrl, { onConnectionError: options.onConnectionError });
    return { store, rateLimitCounter: store.rateLimitCounter(), location: store.where, backend: 'postgres' };
  }
  const store = new SqliteQuestionStore(options.dataDir, { mustExist: options.mustExist });
  return { store, rateLimitCounter: undefined, location: store.file, backend: 'sqlite' };
}
