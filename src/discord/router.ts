/**
 * The interaction router, the heart of the Discord layer: turns interactions into plain input for the command
 * modules and sends their replies within Discord's 3 seconds (see InteractionRouter below).
 */
import type { APIInteraction, REST } from 'discord.js';
import type { Logger } from 'pino';
import {
  privateMessage,
  type BotContext,
  type Choice,
  type CommandInput,
  type CommandModule,
  type ComponentHandler,
  type ComponentInput,
  type DeferSetting,
  type MessageReply,
  type Reply,
} from './command.js';
import { NO_MENTIONS } from './components.js';
import { parseCustomId } from './custom-ids.js';
import { Exchange, type MessageBody, type Respond } from './exchange.js';
import { commandInput, componentInput, customIdOf, focusedOption, guildIdOf, interactionKind, interactionName, isRepliable, userOf } from './interaction.js';
import { DEFER_AFTER_MS, MAX_AUTOCOMPLETE_CHOICES, MAX_CHOICE_NAME, MAX_CHOICE_VALUE } from './limits.js';
import { truncate } from './text.js';

export const ERROR_REPLY = 'Something went wrong while answering. It has been logged; please try again in a moment.';
export const SHUTTING_DOWN_REPLY = 'The bot is restarting. Please ask again in a minute.';
export const UNKNOWN_INTERACTION_REPLY = 'This button or command is no longer supported. Try the slash command again.';

const DEFAULT_DEFER: DeferSetting = { when: 'auto' };

interface Outcome {
  outcome: string;
  /** performance.now() when Discord acknowledged the first response. */
  respondedAt?: number;
}

/**
 * The one place that talks to Discord about interactions: it finds the handler for each interaction, turns the
 * interaction's payload into plain input (interaction.ts), meets the 3-second limit (deferring when needed), sends
 * the handler's Reply with mentions disabled, logs one line per interaction (kind, command, latency, outcome) and
 * turns any error into a private error reply, so one failing handler never stops the bot.
 *
 * Transport-neutral: the gateway (bot.ts) and the HTTP endpoint (http.ts) both hand it Discord's interaction payload
 * and a way to deliver the first response; everything after that goes through the REST API given here.
 */
export class InteractionRouter {
  private readonly commands = new Map<string, CommandModule>();
  private readonly components = new Map<string, ComponentHandler>();
  private readonly inFlight = new Set<Promise<void>>();
  private accepting = true;

  constructor(
    modules: readonly CommandModule[],
    /** What handlers get; the router gives each interaction a child of its logger. */
    private readonly context: BotContext,
    private readonly options: {
      /** The REST API: the interactions' webhooks (edits and follow-ups after the first response). */
      rest: REST;
      deferAfterMs?: number;
      /** Told of every interaction once it is done (metrics). */
      onInteraction?: (record: InteractionRecord) => void;
    },
  ) {
    for (const module of modules) {
      const name = module.definition.name;
      if (this.commands.has(name)) throw new Error(`two command modules are named /${name}`);
      this.commands.set(name, module);
      for (const handler of module.components ?? []) {
        if (this.components.has(handler.prefix)) throw new Error(`custom_id prefix "${handler.prefix}" is used twice (/${name})`);
        this.components.set(handler.prefix, handler);
      }
    }
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Handles one interaction, whichever transport carried it: `payload` is Discord's interaction object, `respond`
   * delivers the first response. Never rejects.
   */
  handle(payload: APIInteraction, respond: Respond): Promise<void> {
    const run = this.dispatch(new Exchange(payload, respond, this.options.rest), performance.now()).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return run;
  }

  /** Stops taking new interactions (they get a "restarting" reply) and resolves when those in flight are done. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      return true as const;
    })();
    try {
      return await Promise.race([finished, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async dispatch(exchange: Exchange, startedAt: number): Promise<void> {
    const { payload } = exchange;
    const kind = interactionKind(payload);
    const name = interactionName(payload);
    const logger = this.context.logger.child({ interactionId: payload.id, kind, command: name });
    const context: BotContext = { ...this.context, logger };
    let result: Outcome;
    try {
      result = await this.route(exchange, context);
    } catch (error) {
      logger.error({ err: error }, 'interaction failed');
      result = { outcome: 'error', respondedAt: await this.replyWithError(exchange, logger) };
    }
    const finishedAt = performance.now();
    const latencyMs = result.respondedAt === undefined ? null : round(result.respondedAt - startedAt);
    const durationMs = round(finishedAt - startedAt);
    logger.info({ userId: userOf(payload)?.id ?? null, guildId: guildIdOf(payload), outcome: result.outcome, latencyMs, durationMs }, 'interaction');
    try {
      this.options.onInteraction?.({ kind, command: name, outcome: result.outcome, latencyMs, durationMs });
    } catch (error) {
      logger.warn({ err: error }, 'interaction observer failed');
    }
  }

  private async route(exchange: Exchange, context: BotContext): Promise<Outcome> {
    const { payload } = exchange;
    const kind = interactionKind(payload);
    if (!this.accepting) {
      if (kind === 'autocomplete') return this.respondChoices(exchange, [], 'shutting_down');
      if (!isRepliable(payload)) return { outcome: 'shutting_down' };
      return this.send(exchange, privateMessage(SHUTTING_DOWN_REPLY), null, 'shutting_down');
    }
    if (kind === 'autocomplete') {
      const module = this.commands.get(interactionName(payload) ?? '');
      if (!module?.autocomplete) return this.respondChoices(exchange, [], 'unknown');
      const input = { ...commandInput(payload), focused: focusedOption(payload) };
      return this.respondChoices(exchange, await module.autocomplete(input, context), 'autocomplete');
    }
    if (kind === 'command') {
      const module = this.commands.get(interactionName(payload) ?? '');
      if (!module) return this.send(exchange, privateMessage(UNKNOWN_INTERACTION_REPLY), null, 'unknown');
      const input = commandInput(payload);
      return this.run(exchange, module.defer ?? DEFAULT_DEFER, input, () => module.execute(input, context));
    }
    if (kind === 'button' || kind === 'modal') {
      const { prefix, args } = parseCustomId(customIdOf(payload));
      const handler = this.components.get(prefix);
      if (!handler || handler.type !== (kind === 'button' ? 'button' : 'modal')) {
        return this.send(exchange, privateMessage(UNKNOWN_INTERACTION_REPLY), null, 'unknown');
      }
      const input = componentInput(payload, args);
      return this.run(exchange, handler.defer ?? DEFAULT_DEFER, input, () => handler.handle(input, context));
    }
    return { outcome: 'ignored' };
  }

  private async respondChoices(exchange: Exchange, choices: Choice[], outcome: string): Promise<Outcome> {
    // A value is what the handler gets back: one too long to send is dropped, never cut into another value.
    const capped = choices
      .filter((choice) => choice.value.length <= MAX_CHOICE_VALUE)
      .slice(0, MAX_AUTOCOMPLETE_CHOICES)
      .map((choice) => ({ name: truncate(choice.name, MAX_CHOICE_NAME), value: choice.value }));
    await exchange.choices(capped);
    return { outcome, respondedAt: performance.now() };
  }

  /** Runs a handler within Discord's 3 seconds: defers first, or when it runs long, as its DeferSetting says. */
  private async run(exchange: Exchange, defer: DeferSetting, input: CommandInput | ComponentInput, handler: () => Reply | Promise<Reply>): Promise<Outcome> {
    const deferEphemeral = typeof defer.ephemeral === 'function' ? defer.ephemeral(input) : (defer.ephemeral ?? false);
    const deferReply = (): Promise<number> => {
      const deferred = exchange.deferReply(deferEphemeral).then(() => performance.now());
      // Awaited once the handler is done; until then a failure must not count as an unhandled rejection.
      deferred.catch(() => undefined);
      return deferred;
    };
    let deferring: Promise<number> | undefined;
    if (defer.when === 'always') deferring = deferReply();
    let timer: NodeJS.Timeout | undefined;
    if (defer.when === 'auto') {
      timer = setTimeout(() => {
        deferring = deferReply();
      }, this.options.deferAfterMs ?? DEFER_AFTER_MS);
    }
    let reply: Reply;
    try {
      reply = await handler();
    } finally {
      clearTimeout(timer);
      // A failed defer surfaces here, before anything else is sent on this interaction.
      await deferring;
    }
    const deferredAt = deferring ? await deferring : undefined;
    const sent = await this.send(exchange, reply, deferring ? deferEphemeral : null);
    return { outcome: reply.outcome ?? sent.outcome, respondedAt: deferredAt ?? sent.respondedAt };
  }

  /**
   * Sends a reply. `deferredEphemeral` is null when nothing was sent yet, else whether the "thinking…" placeholder
   * is private: a private reply never replaces a public placeholder (that would show it to everyone), it replaces
   * it with a private follow-up instead.
   */
  private async send(exchange: Exchange, reply: Reply, deferredEphemeral: boolean | null, outcome?: string): Promise<Outcome> {
    if (reply.type === 'modal') {
      if (deferredEphemeral !== null || interactionKind(exchange.payload) === 'modal')
        throw new Error('a modal can only be the first answer to a command or a button');
      await exchange.showModal(reply.modal);
      return { outcome: outcome ?? 'modal', respondedAt: performance.now() };
    }
    const body = messageBody(reply);
    const ephemeral = reply.ephemeral === true;
    if (deferredEphemeral === null) {
      await exchange.reply(body, ephemeral);
      return { outcome: outcome ?? (ephemeral ? 'replied_private' : 'replied'), respondedAt: performance.now() };
    }
    if (ephemeral && !deferredEphemeral) {
      await exchange.deleteReply();
      await exchange.followUp(body, true);
    } else {
      await exchange.editReply(body);
    }
    return { outcome: outcome ?? 'deferred' };
  }

  /** The member still hears back when a handler fails; returns when the error reply was acknowledged, if it was. */
  private async replyWithError(exchange: Exchange, logger: Logger): Promise<number | undefined> {
    try {
      const { payload } = exchange;
      if (interactionKind(payload) === 'autocomplete') {
        if (!exchange.responded) await exchange.choices([]);
      } else if (isRepliable(payload)) {
        if (exchange.replied) await exchange.followUp(messageBody(privateMessage(ERROR_REPLY)), true);
        else await this.send(exchange, privateMessage(ERROR_REPLY), exchange.deferred ? exchange.ephemeral : null);
      }
      return performance.now();
    } catch (error) {
      logger.warn({ err: error }, 'could not send the error reply');
      return undefined;
    }
  }
}

/** What the router tells its observer about each interaction (the same fields as its log line). */
export interface InteractionRecord {
  kind: string;
  command: string | null;
  outcome: string;
  /** Received to Discord's acknowledgement of the first response; null when none was acknowledged. */
  latencyMs: number | null;
  durationMs: number;
}

function messageBody(reply: MessageReply): MessageBody {
  return {
    content: reply.content ?? '',
    embeds: reply.embeds ?? [],
    components: reply.components ?? [],
    allowed_mentions: NO_MENTIONS,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
