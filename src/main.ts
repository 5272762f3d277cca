/**
 * `npm start`: the Discord bot. Entry point only: configuration, logger, then the app (src/app.ts builds it);
 * SIGINT/SIGTERM stop it gracefully.
 */
import { appOptions, startApp } from './app.js';
import { parseCommandLine, runCli } from './cli/common.js';
import { loadConfig } from './config.js';
import { installCrashPolicy } from './crash.js';
import { createLogger } from './log.js';

const HELP = `Usage: npm start            (compiled: node --enable-source-maps dist/src/main.js; development: npm run dev)

Starts the Discord bot: loads the knowledge base, opens the question store in DATA_DIR, connects to Discord
with DISCORD_TOKEN (or, with INTERACTIONS=http, serves POST /interactions on PORT) and answers slash commands
until SIGINT or SIGTERM, which stop it gracefully (exit 0).
Configuration comes from the environment and a .env file in the project folder (README, "Configuration").
Exit codes: 0 stopped, 2 configuration problem (each one listed; also a DATA_DIR it cannot write or a token
Discord refuses), 3 invalid knowledge base, 1 anything else (Discord unreachable after about 2.5 minutes of
retries, a question store that cannot be opened, a crash); each failure is one line naming what failed and why.
`;

runCli(async () => {
  if (parseCommandLine({ help: HELP }).help) return 0;
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const exitStopped = async () => {
    logger.info('stopped');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(0);
  };
  // A stop asked for while starting (Discord retried for minutes, a deploy rolled back) is honoured at once: nothing
  // is being answered yet, and what start opened is safe to drop (SQLite's journal, the spool's ids on replay).
  const stopWhileStarting = (signal: NodeJS.Signals) => {
    logger.info({ signal, during: 'start-up' }, 'shutting down');
    void exitStopped();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stopWhileStarting);
  const app = await startApp(appOptions(config, logger));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, stopWhileStarting);

  const shutdown = async (signal: NodeJS.Signals) => {
    logger.info({ signal, inFlight: app.bot.router.inFlightCount }, 'shutting down');
    await app.stop();
    await exitStopped();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, (received) => void shutdown(received));
  installCrashPolicy(process, { logger, stop: () => app.stop(), exit: (code) => process.exit(code) });
});
