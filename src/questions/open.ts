/** Opens the question store the configuration names: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR. */
import { PostgresQuestionStore, isPostgresReportRejected } from './postgres.js';
import type { RateLimitCounter } from './rate-limit.js';
import { SqliteQuestionStore, isReportRejected } from './sqlite.js';
import type { QuestionStore } from './store.js';

export interface OpenedStore {
  store: QuestionStore;
  /** Where members' rate-limit hits are counted: the database the replicas share; undefined: in this process. */
  rateLimitCounter: RateLimitCounter | undefined;
  /** Whether a failed write was refused for the report itself (no retry helps) rather than the store's state. */
  isReportRejected: (error: unknown) => boolean;
  /** For the start-up log line: the SQLite file, or user@host:port/database (never a password). */
  location: string;
  backend: 'sqlite' | 'postgres';
}

export async function openQuestionStore(options: {
  dataDir: string;
  databaseUrl?: string;
  mustExist?: boolean;
  /** SQLite: how long a write waits for another connection's lock. */
  busyTimeoutMs?: number;
  /** PostgreSQL: an idle connection failed (it is replaced on the next query). */
  onConnectionError?: (error: Error) => void;
}): Promise<OpenedStore> {
  if (options.databaseUrl) {
    const store = await PostgresQuestionStore.open(options.databaseUrl, { onConnectionError: options.onConnectionError });
    return { store, rateLimitCounter: store.rateLimitCounter(), isReportRejected: isPostgresReportRejected, location: store.where, backend: 'postgres' };
  }
  const store = new SqliteQuestionStore(options.dataDir, { mustExist: options.mustExist, busyTimeoutMs: options.busyTimeoutMs });
  return { store, rateLimitCounter: undefined, isReportRejected, location: store.file, backend: 'sqlite' };
}
