/**
 * The composition root: the one place that builds the bot from plain options (knowledge base, question store,
 * editors' loop, REST messenger, the transport: gateway connection or HTTP interactions endpoint) and stops it in order. Used by src/main.ts and the tests' harness.
 */
import { REST } from 'discord.js';
import type { Logger } from 'pino';
import { commands as shippedCommands } from '../commands/index.js';
import type { Config } from './config.js';
import { startBot, type Transport } from './discord/bot.js';
import type { BotContext, CommandModule } from './discord/command.js';
import { createEditorial, type Editorial } from './discord/editorial/editorial.js';
import { restMessenger, type Messenger } from './discord/editorial/messenger.js';
import type { NotifyMode } from './discord/editorial/notify.js';
import type { EditorialReporter } from './discord/editorial/reporter.js';
import { startHttpServer, startHttpTransport, type HttpServer } from './discord/http.js';
import { BotMetrics, countingStore, operationsRoutes } from './discord/operations.js';
import { KnowledgeService } from './engine/service.js';
import type { MemberRateLimitSettings } from './questions/rate-limit.js';
import type { QuestionSink } from './questions/sink.js';
import { SqliteQuestionStore } from './questions/sqlite.js';

/** The commands the bot serves and `npm run register` registers. */
export const commands = shippedCommands;

/** How long shutdown waits for queued editors'-channel posts before closing the store anyway. */
export const POSTS_GRACE_MS = 5_000;

/** The HTTP port when none is given (PORT). */
export const DEFAULT_PORT = 8080;

export interface AppOptions {
  token: string;
  /** REST base (DISCORD_API_URL); the gateway address is discovered through it. */
  apiUrl: string;
  /** The knowledge folder to load, or a service already loaded (the tests share one). */
  knowledge: string | KnowledgeService;
  /** Where the question store lives. */
  dataDir: string;
  editorialChannelId: string | undefined;
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
  /** With the gateway: the port of the operations endpoints (GET /healthz, /readyz, /metrics); none unless given. */
  healthPort?: number;
  /** How often the learned phrasings are read from the store again (other replicas' resolves); 0 or unset: never. */
  learnedRefreshMs?: number;
  /** Node's process metrics in GET /metrics (on in production; the tests, which build many bots, leave them off). */
  processMetrics?: boolean;
}

export interface App {
  /** The transport: the gateway connection or the HTTP interactions endpoint. */
  bot: Transport;
  /** The HTTP server, when there is one (its port is the one it listens on): the interactions endpoint, or HEALTH_PORT's. */
  http: HttpServer | undefined;
  metrics: BotMetrics;
  knowledge: KnowledgeService;
  store: SqliteQuestionStore;
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
    editorialChannelId: config.editorialChannelId,
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

export async function startApp(options: AppOptions): Promise<App> {
  const { logger } = options;
  const knowledge = typeof options.knowledge === 'string' ? await KnowledgeService.load(options.knowledge) : options.knowledge;
  const engine = () => knowledge.current();
  const sqlite = new SqliteQuestionStore(options.dataDir);
  let opsServer: HttpServer | undefined;
  try {
    const served = options.commands ?? commands;
    const names = served.flatMap((module) => [module.definition.name, ...(module.components ?? []).map((handler) => handler.prefix)]);
    const metrics = new BotMetrics({ knowledge, names, processMetrics: options.processMetrics });
    // Every store call goes through the counter of store errors.
    const store = countingStore(sqlite, metrics);
    const rest = new REST({ api: options.apiUrl }).setToken(options.token);
    const messenger = options.messenger ?? restMessenger(rest);
    const settings = { editorialChannelId: options.editorialChannelId, notifyAskers: options.notifyAskers, rateLimits: options.rateLimits };
    const { editorial, reporter } = createEditorial({ settings, store, logger, engine, messenger, knowledge });
    // What editors' resolves taught the bot, served from the first interaction on (a shared store: other replicas'
    // too, at each refresh).
    const learned = await editorial.learned!.sync({ force: true });
    logger.info({ event: 'learned.loaded', applied: learned.applied, dropped: learned.dropped.length }, 'learned phrasings loaded');

    const context: BotContext = { engine, knowledge, sink: options.sink ?? reporter, editorial, logger };
    const transport = { commands: served, context, deferAfterMs: options.deferAfterMs, onInteraction: metrics.observeInteraction };
    let bot: Transport | undefined;
    const http = options.interactions === 'http';
    const routes = operationsRoutes({
      metrics,
      probes: { knowledge, store, transportReady: () => bot?.isReady() ?? false, transportName: http ? 'interactions endpoint' : 'gateway' },
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
      bot = await startBot({ ...transport, token: options.token, apiUrl: options.apiUrl });
    }
    const running = bot;
    if (options.learnedRefreshMs) editorial.learned!.start(options.learnedRefreshMs);

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        editorial.learned?.stop();
        await running.stop();
        await editorial.editorsChannel?.close(options.postsGraceMs ?? POSTS_GRACE_MS);
        sqlite.close();
        await opsServer?.close();
      })();
      return stopping;
    };
    return { bot: running, http: server, metrics, knowledge, store: sqlite, editorial, reporter, stop };
  } catch (error) {
    sqlite.close();
    await opsServer?.close();
    throw error;
  }
}
