/** Starts the real bot (discord.js client, router, commands) against a FakeDiscord, with an in-memory sink. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commands as shippedCommands } from '../../commands/index.js';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import type { Config } from '../../src/config.js';
import type { CommandModule } from '../../src/discord/command.js';
import { startBot, type Bot } from '../../src/discord/bot.js';
import { KnowledgeService } from '../../src/engine/service.js';
import { createEditorial, type Editorial } from '../../src/discord/editorial/editorial.js';
import type { QuestionSink } from '../../src/questions/sink.js';
import { createLogger } from '../../src/log.js';
import { SqliteQuestionStore } from '../../src/questions/sqlite.js';
import { FakeDiscord, type RecordedRequest } from './fake-discord.js';
import type { SentInteraction } from './interactions.js';
import { MemoryQuestionSink } from './memory-sink.js';

/** Shaped like a real token (three base64url parts), valid nowhere. */
export const TEST_TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfakeX.fake-token-for-tests-only-0000000000';

export const KNOWLEDGE_DIR = path.join(PROJECT_ROOT, 'knowledge');

let knowledge: Promise<KnowledgeService> | undefined;
/** The shipped knowledge base, loaded once per test file. */
export function sharedKnowledge(): Promise<KnowledgeService> {
  knowledge ??= KnowledgeService.load(KNOWLEDGE_DIR);
  return knowledge;
}

export function testConfig(apiUrl: string): Config {
  return { discordToken: TEST_TOKEN, guildId: undefined, apiUrl, knowledgeDir: KNOWLEDGE_DIR, dataDir: path.join(PROJECT_ROOT, 'data'), editorialChannelId: undefined, notifyAskers: 'off', rateLimits: { ask: null, flag: null, editorialPosts: null }, logLevel: 'info', logPretty: false };
}

export interface TestBot {
  fake: FakeDiscord;
  bot: Bot;
  sink: MemoryQuestionSink;
  /** The editors' loop, on a real SQLite store in a temporary DATA_DIR (removed by stop). */
  editorial: Editorial;
  /** The bot's log lines, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Dispatches an interaction and resolves with its callback request. */
  send(interaction: SentInteraction): Promise<RecordedRequest>;
  stop(): Promise<void>;
}

/** `reportToStore`: handlers report to the SQLite store and the editors' channel instead of the memory sink. */
export async function startTestBot(
  options: { commands?: CommandModule[]; sink?: QuestionSink; deferAfterMs?: number; config?: Partial<Config>; reportToStore?: boolean } = {},
): Promise<TestBot> {
  const fake = await FakeDiscord.start();
  const service = await sharedKnowledge();
  const sink = new MemoryQuestionSink();
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line)) } });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vix-bot-'));
  const config = { ...testConfig(fake.apiUrl), dataDir, ...options.config };
  const store = new SqliteQuestionStore(dataDir);
  const connection: { bot?: Bot } = {};
  const { editorial, reporter } = createEditorial({ settings: config, store, logger, engine: () => service.current(), client: () => connection.bot!.client });
  const bot = await startBot({
    config,
    commands: options.commands ?? shippedCommands,
    context: { engine: () => service.current(), knowledge: service, sink: options.sink ?? (options.reportToStore ? reporter : sink), editorial, logger, config },
    deferAfterMs: options.deferAfterMs,
  });
  connection.bot = bot;
  return {
    fake,
    bot,
    sink,
    editorial,
    logs,
    send(interaction) {
      fake.dispatchInteraction(interaction.payload);
      return fake.waitForCallback(interaction.id);
    },
    async stop() {
      await editorial.editorsChannel?.idle();
      await bot.stop();
      await fake.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
