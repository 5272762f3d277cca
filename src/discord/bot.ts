/**
 * The gateway connection: logs in with the Guilds intent only and hands every interaction to the router; stop()
 * drains the interactions in flight before disconnecting.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { BotContext, CommandModule } from './command.js';
import { InteractionRouter } from './router.js';

/** How long shutdown waits for interactions in flight before closing anyway (Discord tokens outlive it). */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface Bot {
  client: Client<true>;
  router: InteractionRouter;
  /** Stops taking interactions, waits for those in flight (up to SHUTDOWN_GRACE_MS), then disconnects. */
  stop(): Promise<void>;
}

/**
 * Connects to Discord and routes every interaction. Only the Guilds intent: slash commands, buttons and modals
 * arrive as interactions, so the bot needs no privileged intent and reads no messages.
 */
export async function startBot(options: {
  token: string;
  /** REST base; the gateway address is discovered through it (a proxy, or the tests' fake Discord). */
  apiUrl: string;
  commands: readonly CommandModule[];
  context: BotContext;
  deferAfterMs?: number;
}): Promise<Bot> {
  const { context } = options;
  const router = new InteractionRouter(options.commands, context, { deferAfterMs: options.deferAfterMs });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.on(Events.Error, (error) => context.logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shardId) => context.logger.warn({ shardId, code: event.code }, 'gateway disconnected'));

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(options.token);
  } catch (error) {
    await client.destroy();
    throw error;
  }
  const readyClient = await ready;
  context.logger.info({ user: readyClient.user.tag, commands: options.commands.map((command) => command.definition.name) }, 'bot ready');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const drained = await router.drain(SHUTDOWN_GRACE_MS);
      if (!drained) context.logger.warn({ inFlight: router.inFlightCount }, 'shutdown grace period over; closing with interactions in flight');
      await client.destroy();
    })();
    return stopping;
  };
  return { client: readyClient, router, stop };
}
