/**
 * The gateway transport: logs in with the Guilds intent only and hands every interaction's payload to the router,
 * whose first response goes to the REST callback route; stop() drains the interactions in flight before
 * disconnecting. (http.ts is the other transport.)
 */
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, SimpleShardingStrategy, type APIInteraction } from 'discord.js';
import type { BotContext, CommandModule } from './command.js';
import { DEFAULT_CONNECT_POLICY, connectWithRetries, type ConnectPolicy, type GatewayConnection } from './connect.js';
import { callbackThroughRest } from './exchange.js';
import { InteractionRouter, type InteractionRecord } from './router.js';

/** How long shutdown waits for interactions in flight before closing anyway (Discord tokens outlive it). */
export const SHUTDOWN_GRACE_MS = 10_000;

/** How interactions reach the bot: the gateway (this file) or the HTTP endpoint (http.ts). */
export interface Transport {
  kind: 'gateway' | 'http';
  router: InteractionRouter;
  /** Whether interactions can arrive now (the gateway: connected and ready; HTTP: listening). */
  isReady(): boolean;
  /** Stops taking interactions, waits for those in flight (up to SHUTDOWN_GRACE_MS), then disconnects. */
  stop(): Promise<void>;
}

export interface Bot extends Transport {
  kind: 'gateway';
  client: Client<true>;
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
  onInteraction?: (record: InteractionRecord) => void;
  /** Attempts, timeout and backoff of the connection at start (DEFAULT_CONNECT_POLICY unless given). */
  connect?: Partial<ConnectPolicy>;
}): Promise<Bot> {
  const { context } = options;
  const policy = { ...DEFAULT_CONNECT_POLICY, ...options.connect };
  // One client for the whole start: discord.js reconnects it after a silent gateway (see connect.ts).
  const open = (): GatewayConnection<{ client: Client<true>; router: InteractionRouter }> => {
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: options.apiUrl },
      ws: {
        // discord.js waits 60 s for a silent gateway's HELLO and has no option for it: the shards' manager does.
        buildStrategy: (manager) => {
          manager.options.helloTimeout = policy.timeoutMs;
          return new SimpleShardingStrategy(manager);
        },
      },
    });
    const router = new InteractionRouter(options.commands, context, {
      rest: client.rest,
      deferAfterMs: options.deferAfterMs,
      onInteraction: options.onInteraction,
    });
    // The raw payload, as the HTTP endpoint receives it: one way from payload to handler input for both transports.
    client.ws.on(GatewayDispatchEvents.InteractionCreate, (payload: APIInteraction) => void router.handle(payload, callbackThroughRest(client.rest, payload)));
    client.on(Events.Error, (error) => context.logger.error({ err: error }, 'discord client error'));
    client.on(Events.ShardDisconnect, (event, shardId) => context.logger.warn({ shardId, code: event.code }, 'gateway disconnected'));
    const ready = new Promise<Client<true>>((resolve, reject) => {
      client.once(Events.ClientReady, resolve);
      client.login(options.token).catch(reject);
    });
    return { ready: ready.then((readyClient) => ({ client: readyClient, router })), abandon: () => client.destroy() };
  };
  const { client, router } = await connectWithRetries({
    apiUrl: options.apiUrl,
    token: options.token,
    policy,
    logger: context.logger,
    open,
  });
  context.logger.info({ user: client.user.tag, commands: options.commands.map((command) => command.definition.name) }, 'bot ready');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // From here on the bot reports itself not ready (GET /readyz), while it drains.
      const drained = await router.drain(SHUTDOWN_GRACE_MS);
      if (!drained) context.logger.warn({ inFlight: router.inFlightCount }, 'shutdown grace period over; closing with interactions in flight');
      await client.destroy();
    })();
    return stopping;
  };
  return { kind: 'gateway', client, router, isReady: () => stopping === undefined && client.isReady(), stop };
}
