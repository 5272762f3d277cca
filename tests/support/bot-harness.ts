/**
 * Starts the real bot through the composition root (src/app.ts: knowledge base, SQLite store, editors' loop,
 * discord.js client, router, commands) against a FakeDiscord, with an in-memory sink unless told otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type App, type AppOptions } from '../../src/app.js';
import type { Transport } from '../../src/discord/bot.js';
import type { Editorial } from '../../src/discord/editorial/editorial.js';
import { KnowledgeService } from '../../src/engine/service.js';
import { createLogger } from '../../src/log.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/paths.js';
import type { QuestionSink } from '../../src/questions/sink.js';
import { FakeDiscord, type RecordedRequest } from './fake-discord.js';
import type { SentInteraction } from './interactions.js';
import { MemoryQuestionSink } from './memory-sink.js';
import { generateSigningKeys, postSigned } from './signed-requests.js';

/** Shaped like a real token (three base64url parts), valid nowhere. */
export const TEST_TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfakeX.fake-token-for-tests-only-0000000000';

export const KNOWLEDGE_DIR = DEFAULT_KNOWLEDGE_DIR;

let knowledge: Promise<KnowledgeService> | undefined;
/** The shipped knowledge base, loaded once per test file. */
export function sharedKnowledge(): Promise<KnowledgeService> {
  knowledge ??= KnowledgeService.load(KNOWLEDGE_DIR);
  return knowledge;
}

/** The editors' loop settings of a test bot: no channel, no notifications, no rate limits. */
export const TEST_SETTINGS = {
  editorialChannelId: undefined,
  notifyAskers: 'off',
  rateLimits: { ask: null, flag: null, editorialPosts: null },
} satisfies Pick<AppOptions, 'editorialChannelId' | 'notifyAskers' | 'rateLimits'>;

export interface TestBot {
  fake: FakeDiscord;
  app: App;
  bot: Transport;
  sink: MemoryQuestionSink;
  /** The editors' loop, on a real SQLite store in a temporary DATA_DIR (removed by stop). */
  editorial: Editorial;
  /** The bot's log lines, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The temporary DATA_DIR. */
  dataDir: string;
  /** Dispatches an interaction and resolves with its callback request. */
  send(interaction: SentInteraction): Promise<RecordedRequest>;
  /** Stops the app (as SIGTERM does), closes the fake Discord and removes DATA_DIR. */
  stop(): Promise<void>;
}

export type TestBotOptions = Partial<Omit<AppOptions, 'token' | 'apiUrl' | 'knowledge' | 'dataDir' | 'logger' | 'sink'>> & {
  sink?: QuestionSink;
  /** A DATA_DIR of the test's own (kept by stop); a fresh temporary one unless given. */
  dataDir?: string;
  /** Handlers report to the SQLite store and the editors' channel (the app's own sink) instead of the memory sink. */
  reportToStore?: boolean;
};

export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const { reportToStore, sink: givenSink, dataDir: givenDataDir, ...overrides } = options;
  const fake = await FakeDiscord.start();
  const sink = new MemoryQuestionSink();
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } });
  const dataDir = givenDataDir ?? mkdtempSync(path.join(tmpdir(), 'vix-bot-'));
  // Over HTTP, without a key of the test's own: one generated here, and send() signs with it as Discord would.
  const keys = overrides.interactions === 'http' && !overrides.publicKey ? generateSigningKeys() : undefined;
  if (keys) overrides.publicKey = keys.publicKeyHex;
  const app = await startApp({
    ...TEST_SETTINGS,
    // The HTTP endpoint, when asked for, on loopback and a free port.
    host: '127.0.0.1',
    port: 0,
    ...overrides,
    token: TEST_TOKEN,
    apiUrl: fake.apiUrl,
    knowledge: await sharedKnowledge(),
    dataDir,
    logger,
    sink: givenSink ?? (reportToStore ? undefined : sink),
  });
  return {
    fake,
    app,
    bot: app.bot,
    sink,
    editorial: app.editorial,
    logs,
    dataDir,
    async send(interaction) {
      if (!keys) {
        fake.dispatchInteraction(interaction.payload);
        return fake.waitForCallback(interaction.id);
      }
      // The first response comes back in the HTTP response; shaped as the callback the gateway path records.
      const response = await postSigned(`http://127.0.0.1:${app.http!.port}/interactions`, interaction.payload, keys.privateKey);
      if (response.status !== 200) throw new Error(`POST /interactions answered ${response.status}`);
      return {
        method: 'POST',
        path: `/interactions/${interaction.id}/${interaction.token}/callback`,
        query: new URLSearchParams(),
        body: response.body,
        headers: {},
        at: performance.now(),
      };
    },
    async stop() {
      await app.stop();
      await fake.close();
      if (!givenDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
