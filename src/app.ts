/**
 * The composition root: the one place that builds the bot from plain options (knowledge base, question store,
 * editors' loop, REST messenger, the transport: gateway connection or HTTP interactions endpoint) and stops it in order. Used by src/main.ts and the tests' harness.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REST } from 'discord.js';
import type { Logger } from 'pino';
import { commands as shippedCommands } from '../commands/index.js';
import { DEFAULT_PORT, type Config } from './config.js';
import { UsageError } from './errors.js';
import { startBot, type Transport } from './discord/bot.js';
import type { ConnectPolicy } from './discord/connect.js';
import type { BotContext, CommandModule } from './discord/command.js';
import { createEditorial, type Editorial } from './discord/editorial/editorial.js';
import { restMessenger, type Messenger } from './discord/editorial/messenger.js';
import type { NotifyMode } from './discord/editorial/notify.js';
import type { EditorialReporter, ReporterOutboxSettings } from './discord/editorial/reporter.js';
import { startHttpServer, startHttpTransport, type HttpServer } from './discord/http.js';
import { BotMetrics, countingStore, operationsRoutes } from './discord/operations.js';
import { KnowledgeService } from './engine/service.js';
import { LEARNED_REFRESH_MS } from './questions/learned.js';
import { SPOOL_FILE } from './questions/outbox.js';
import { openQuestionStore, type OpenedStore } from './questions/open.js';
import type { MemberRateLimitSettings } from './questions/rate-limit.js';
import type { QuestionSink } from './questions/sink.js';
import { DATABASE_FILE } from './questions/sqlite.js';
import type { QuestionStore } from './questions/store.js';

/** The commands the bot serves and `npm run register` registers. */
export const commands = shippedCommands;

/** How long shutdown waits for queued editors'-channel posts before closing the store anyway. */
export const POSTS_GRACE_MS = 5_000;

/**
 * How long a write waits for another connection's SQLite lock. Short: better-sqlite3 waits on the event loop, and
 * a report that cannot be written at once is queued and replayed (questions/outbox.ts) rather than waited for.
 */
export const STORE_BUSY_TIMEOUT_MS = 250;

export interface AppOptions {
  token: string;
  /** REST base (DISCORD_API_URL); the gateway address is discovered through it. */
  apiUrl: string;
  /** The knowledge folder to load, or a service already loaded (the tests share one). */
  knowledge: string | KnowledgeService;
  /** Where the question store lives (SQLite), unless databaseUrl is given. */
  dataDir: string;
  /** DATABASE_URL: the question store, and the members' rate limits, in PostgreSQL (shared by replicas). */
  databaseUrl?: string;
  editorialChannelId: string | undefined;
  /** Members with one of these roles are editors, besides those who can Manage Messages (EDITOR_ROLE_ID). */
  editorRoleIds?: readonly string[];
  notifyAskers: NotifyMode;
  rateLimits: MemberRateLimitSettings;
  logger: Logger;
  /** The shipped commands unless given (tests add their own). */
  commands?: readonly CommandModule[];
  deferAfterMs?: number;
  /** Where handlers report questions; the editors' loop (store, log event, editors' channel) unless given. */
  sink?: QuestionSink;
  /** How the editors' loop writes to Discord; REST with the bot's token unless given. */
  messenger?: Messenger;
  postsGraceMs?: number;
  /** How interactions arrive: the gateway (default) or Discord's POSTs to POST /interactions. */
  interactions?: 'gateway' | 'http';
  /** INTERACTIONS=http: the port to listen on (0: any free one) and the application's public key (hex). */
  port?: number;
  publicKey?: string;
  /** The address to listen on; all of them unless given (the tests use 127.0.0.1). */
  host?: string;
  /** With the gateway: the port of the operations endpoints (GET /healthz, /readyz, /metrics; PORT); none unless given. */
  healthPort?: number;
  /** How often the learned phrasings are read from the store again (other replicas' resolves); 0 or unset: never. */
  learnedRefreshMs?: number;
  /** Node's process metrics in GET /metrics (on in production; the tests, which build many bots, leave them off). */
  processMetrics?: boolean;
  /** With the gateway: attempts, timeout and backoff of the connection at start (DEFAULT_CONNECT_POLICY unless given). */
  connect?: Partial<ConnectPolicy>;
  /** The reports' queue while the store fails: bound, store timeout, retry pauses (the spool is DATA_DIR/spool). */
  reportOutbox?: Omit<ReporterOutboxSettings, 'spoolFile'>;
}

export interface App {
  /** The transport: the gateway connection or the HTTP interactions endpoint. */
  bot: Transport;
  /** The HTTP server, when there is one (its port is the one it listens on): the interactions endpoint, or PORT's with the gateway. */
  http: HttpServer | undefined;
  metrics: BotMetrics;
  knowledge: KnowledgeService;
  store: QuestionStore;
  editorial: Editorial;
  reporter: EditorialReporter;
  /**
   * Stops in order: no new interactions and those in flight finished (bot.stop), then the editors'-channel posts
   * still queued (up to postsGraceMs), then the store is closed. Safe to call more than once.
   */
  stop(): Promise<void>;
}

/** The plain options the configuration gives; nothing below this file sees the Config. */
export function appOptions(config: Config, logger: Logger): AppOptions {
  return {
    token: config.discordToken,
    apiUrl: config.apiUrl,
    knowledge: config.knowledgeDir,
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    editorialChannelId: config.editorialChannelId,
    editorRoleIds: config.editorRoleIds,
    notifyAskers: config.notifyAskers,
    rateLimits: config.rateLimits,
    logger,
    interactions: config.interactions,
    port: config.port,
    publicKey: config.publicKey,
    healthPort: config.healthPort,
    learnedRefreshMs: config.learnedRefreshMs,
    processMetrics: true,
  };
}

/** The cause of a file-system error as "ENOTDIR: not a directory, mkdir '/x'" (better-sqlite3's codes included). */
function cause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

/**
 * DATA_DIR must be a folder this process can write: the store and the spool live there. Checked by writing, not by
 * permission bits (root passes those, a read-only mount does not).
 */
export function ensureDataDir(dataDir: string): void {
  const dir = path.resolve(dataDir);
  const probe = path.join(dir, `.write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw new UsageError(`DATA_DIR ${dir} is not a folder the bot can write: ${cause(error)}. Create it, or point DATA_DIR at a writable folder`);
  }
}

/**
 * Opens the bot's question store: PostgreSQL when DATABASE_URL is set (its errors name the server, never the
 * password), else the SQLite file in DATA_DIR, saying which file failed and why. DATA_DIR must be writable either
 * way: the spool of reports waiting for the store lives there.
 */
async function openStore(options: AppOptions): Promise<OpenedStore> {
  ensureDataDir(options.dataDir);
  if (options.databaseUrl) {
    const { logger } = options;
    return openQuestionStore({
      dataDir: options.dataDir,
      databaseUrl: options.databaseUrl,
      onConnectionError: (error) =>
        logger.warn({ event: 'store.connection_lost', err: error }, 'an idle database connection failed; the next query reconnects'),
    });
  }
  const file = path.join(path.resolve(options.dataDir), DATABASE_FILE);
  try {
    return await openQuestionStore({ dataDir: options.dataDir, busyTimeoutMs: STORE_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new Error(
      `cannot open the question store ${file}: ${cause(error)}. Check that it is a SQLite file (or absent, to start afresh) this user can read and write, in DATA_DIR`,
      { cause: error },
    );
  }
}

export async function startApp(options: AppOptions): Promise<App> {
  const { logger } = options;
  const knowledge = typeof options.knowledge === 'string' ? await KnowledgeService.load(options.knowledge) : options.knowledge;
  const engine = () => knowledge.current();
  const opened = await openStore(options);
  const questions = opened.store;
  logger.info({ backend: opened.backend, location: opened.location }, 'question store open');
  let opsServer: HttpServer | undefined;
  // Built after the metrics (its store counts errors in them), read by them only when scraped.
  let built: EditorialReporter | undefined;
  try {
    const served = options.commands ?? commands;
    const names = served.flatMap((module) => [module.definition.name, ...(module.components ?? []).map((handler) => handler.prefix)]);
    const reports = () => built!.outbox.status();
    const metrics = new BotMetrics({ knowledge, names, processMetrics: options.processMetrics, reports });
    // Every store call goes through the counter of store errors.
    const store = countingStore(questions, metrics);
    const rest = new REST({ api: options.apiUrl }).setToken(options.token);
    const messenger = options.messenger ?? restMessenger(rest);
    // The spool is this process's own, in DATA_DIR, whichever store is behind it.
    const outbox = { ...options.reportOutbox, spoolFile: path.join(path.resolve(options.dataDir), SPOOL_FILE), isRejected: opened.isReportRejected };
    const settings = {
      editorialChannelId: options.editorialChannelId,
      editorRoleIds: options.editorRoleIds,
      notifyAskers: options.notifyAskers,
      rateLimits: options.rateLimits,
      rateLimitCounter: opened.rateLimitCounter,
      outbox,
    };
    const { editorial, reporter } = createEditorial({ settings, store, logger, engine, messenger, knowledge });
    built = reporter;
    // Reports a previous run could not store are replayed first, in the background.
    reporter.outbox.start();
    // What editors' resolves taught the bot, served from the first interaction on (a shared store: other replicas'
    // too, at each refresh).
    // A store that fails at start must not keep the bot from answering: the refresh loop reads them later.
    let learnedLoaded = false;
    try {
      const learned = await editorial.learned!.sync({ force: true });
      learnedLoaded = true;
      logger.info({ event: 'learned.loaded', applied: learned.applied, dropped: learned.dropped.length }, 'learned phrasings loaded');
    } catch (error) {
      logger.warn({ event: 'learned.load_failed', err: error }, 'could not read the learned phrasings from the question store; retrying in the background');
    }
    const context: BotContext = { engine, knowledge, sink: options.sink ?? reporter, editorial, logger };
    const transport = { commands: served, context, deferAfterMs: options.deferAfterMs, onInteraction: metrics.observeInteraction };
    let bot: Transport | undefined;
    const http = options.interactions === 'http';
    const routes = operationsRoutes({
      metrics,
      probes: { knowledge, store, reports, transportReady: () => bot?.isReady() ?? false, transportName: http ? 'interactions endpoint' : 'gateway' },
    });
    let server: HttpServer | undefined;
    if (http) {
      if (!options.publicKey) throw new Error("the HTTP interactions endpoint needs the application's public key");
      const started = await startHttpTransport({
        ...transport,
        host: options.host,
        port: options.port ?? DEFAULT_PORT,
        publicKey: options.publicKey,
        rest,
        routes,
      });
      bot = started;
      server = started.server;
    } else {
      // Up before the gateway connects: /healthz answers and /readyz says what is missing while it does.
      if (options.healthPort !== undefined) {
        opsServer = await startHttpServer({ host: options.host, port: options.healthPort, routes, logger });
        logger.info({ port: opsServer.port }, 'operations endpoints ready');
        server = opsServer;
      }
      bot = await startBot({ ...transport, token: options.token, apiUrl: options.apiUrl, connect: options.connect });
    }
    const running = bot;
    if (options.learnedRefreshMs || !learnedLoaded) editorial.learned!.start(options.learnedRefreshMs || LEARNED_REFRESH_MS);

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        editorial.learned?.stop();
        await running.stop();
        await reporter.outbox.close();
        await editorial.editorsChannel?.close(options.postsGraceMs ?? POSTS_GRACE_MS);
        await questions.close();
        await opsServer?.close();
      })();
      return stopping;
    };
    return { bot: running, http: server, metrics, knowledge, store: questions, editorial, reporter, stop };
  } catch (error) {
    await built?.outbox.close();
    await questions.close();
    await opsServer?.close();
    throw error;
  }
}
