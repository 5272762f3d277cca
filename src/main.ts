/**
 * `npm start`: the Discord bot. Wiring only: configuration, logger, knowledge base, question store, then the bot;
 * SIGINT/SIGTERM stop it gracefully.
 */
import { commands } from '../commands/index.js';
import { runCli } from './cli/common.js';
import { loadConfig } from './config.js';
import { startBot, type Bot } from './discord/bot.js';
import { KnowledgeService } from './engine/service.js';
import { createLogger } from './log.js';
import { createEditorial } from './discord/editorial/editorial.js';
import { SqliteQuestionStore } from './questions/sqlite.js';

runCli(async () => {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const knowledge = await KnowledgeService.load(config.knowledgeDir);
  const store = new SqliteQuestionStore(config.dataDir);
  // The editors' channel posts through the client, which exists once the bot has logged in.
  const connection: { bot?: Bot } = {};
  const { editorial, reporter } = createEditorial({
    settings: config,
    store,
    logger,
    engine: () => knowledge.current(),
    client: () => {
      if (!connection.bot) throw new Error('the bot is not connected yet');
      return connection.bot.client;
    },
  });
  const bot = await startBot({ config, commands, context: { engine: () => knowledge.current(), knowledge, sink: reporter, editorial, logger, config } });
  connection.bot = bot;

  const shutdown = async (signal: NodeJS.Signals) => {
    logger.info({ signal, inFlight: bot.router.inFlightCount }, 'shutting down');
    await bot.stop();
    store.close();
    logger.info('stopped');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, (received) => void shutdown(received));
});
