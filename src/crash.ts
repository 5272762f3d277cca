/**
 * What the process does with an error nobody caught. A rejected promise that nothing awaited is logged and the bot
 * goes on (every interaction's errors are already caught by the router; one stray promise must not take the bot
 * down for every member). An exception that reached the event loop leaves the process in an unknown state: it is
 * logged as fatal, the bot stops as it does on SIGTERM (bounded), and the process exits 1 for its supervisor to
 * restart it.
 */
import type { Logger } from 'pino';

/** The part of `process` the policy uses (a test passes an EventEmitter). */
export interface CrashSource {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
}

export interface CrashPolicyOptions {
  logger: Logger;
  /** Stops the bot gracefully (finishes interactions in flight, flushes queued work, closes the store). */
  stop: () => Promise<void>;
  exit: (code: number) => void;
  /** How long the stop may take before the process exits anyway. */
  stopTimeoutMs?: number;
}

export function installCrashPolicy(source: CrashSource, { logger, stop, exit, stopTimeoutMs = 10_000 }: CrashPolicyOptions): void {
  let crashing = false;
  source.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection (the bot goes on)');
  });
  source.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception: stopping');
    if (crashing) return;
    crashing = true;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, stopTimeoutMs).unref());
    void Promise.race([stop().catch((stopError: unknown) => logger.error({ err: stopError }, 'stop after the crash failed')), timeout]).finally(() =>
      logger.flush(() => exit(1)),
    );
  });
}
