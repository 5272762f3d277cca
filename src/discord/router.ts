/**
 * The interaction router, the heart of the Discord layer: turns interactions into plain input for the command
 * modules and sends their replies within Discord's 3 seconds (see InteractionRouter below).
 */
import {
  MessageFlags,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
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
  type Invoker,
  type MessageReply,
  type OptionValue,
  type Reply,
} from './command.js';
import { NO_MENTIONS } from './components.js';
import { parseCustomId } from './custom-ids.js';
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
 * interaction into plain input, meets the 3-second limit (deferring when needed), sends the handler's Reply with
 * mentions disabled, logs one line per interaction (kind, command, latency, outcome) and turns any error into a
 * private error reply, so one failing handler never stops the bot.
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
    private readonly options: { deferAfterMs?: number } = {},
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

  /** Handles one interaction; never rejects. */
  handle(interaction: Interaction): Promise<void> {
    const run = this.dispatch(interaction, performance.now()).finally(() => this.inFlight.delete(run));
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

  private async dispatch(interaction: Interaction, startedAt: number): Promise<void> {
    const kind = interactionKind(interaction);
    const name = interactionName(interaction);
    const logger = this.context.logger.child({ interactionId: interaction.id, kind, command: name });
    const context: BotContext = { ...this.context, logger };
    let result: Outcome;
    try {
      result = await this.route(interaction, context);
    } catch (error) {
      logger.error({ err: error }, 'interaction failed');
      result = { outcome: 'error', respondedAt: await this.replyWithError(interaction, logger) };
    }
    const finishedAt = performance.now();
    logger.info(
      {
        userId: interaction.user.id,
        guildId: interaction.guildId,
        outcome: result.outcome,
        latencyMs: result.respondedAt === undefined ? null : round(result.respondedAt - startedAt),
        durationMs: round(finishedAt - startedAt),
      },
      'interaction',
    );
  }

  private async route(interaction: Interaction, context: BotContext): Promise<Outcome> {
    if (!this.accepting) {
      if (interaction.isAutocomplete()) return this.respondChoices(interaction, [], 'shutting_down');
      if (!interaction.isRepliable()) return { outcome: 'shutting_down' };
      return this.send(interaction, privateMessage(SHUTTING_DOWN_REPLY), null, 'shutting_down');
    }
    if (interaction.isAutocomplete()) {
      const module = this.commands.get(interaction.commandName);
      if (!module?.autocomplete) return this.respondChoices(interaction, [], 'unknown');
      const focused = interaction.options.getFocused(true);
      const input = { ...commandInput(interaction), focused: { name: focused.name, value: String(focused.value) } };
      return this.respondChoices(interaction, await module.autocomplete(input, context), 'autocomplete');
    }
    if (interaction.isChatInputCommand()) {
      const module = this.commands.get(interaction.commandName);
      if (!module) return this.send(interaction, privateMessage(UNKNOWN_INTERACTION_REPLY), null, 'unknown');
      const input = commandInput(interaction);
      return this.run(interaction, module.defer ?? DEFAULT_DEFER, input, () => module.execute(input, context));
    }
    if (interaction.isButton() || interaction.isModalSubmit()) {
      const { prefix, args } = parseCustomId(interaction.customId);
      const handler = this.components.get(prefix);
      if (!handler || handler.type !== (interaction.isButton() ? 'button' : 'modal')) {
        return this.send(interaction, privateMessage(UNKNOWN_INTERACTION_REPLY), null, 'unknown');
      }
      const input = componentInput(interaction, args);
      return this.run(interaction, handler.defer ?? DEFAULT_DEFER, input, () => handler.handle(input, context));
    }
    return { outcome: 'ignored' };
  }

  private async respondChoices(interaction: AutocompleteInteraction, choices: Choice[], outcome: string): Promise<Outcome> {
    // A value is what the handler gets back: one too long to send is dropped, never cut into another value.
    const capped = choices
      .filter((choice) => choice.value.length <= MAX_CHOICE_VALUE)
      .slice(0, MAX_AUTOCOMPLETE_CHOICES)
      .map((choice) => ({ name: truncate(choice.name, MAX_CHOICE_NAME), value: choice.value }));
    await interaction.respond(capped);
    return { outcome, respondedAt: performance.now() };
  }

  /** Runs a handler within Discord's 3 seconds: defers first, or when it runs long, as its DeferSetting says. */
  private async run(
    interaction: RepliableInteraction,
    defer: DeferSetting,
    input: CommandInput | ComponentInput,
    handler: () => Reply | Promise<Reply>,
  ): Promise<Outcome> {
    const deferEphemeral = typeof defer.ephemeral === 'function' ? defer.ephemeral(input) : (defer.ephemeral ?? false);
    const deferReply = (): Promise<number> => {
      const deferred = interaction.deferReply(deferEphemeral ? { flags: MessageFlags.Ephemeral } : {}).then(() => performance.now());
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
    const sent = await this.send(interaction, reply, deferring ? deferEphemeral : null);
    return { outcome: reply.outcome ?? sent.outcome, respondedAt: deferredAt ?? sent.respondedAt };
  }

  /**
   * Sends a reply. `deferredEphemeral` is null when nothing was sent yet, else whether the "thinking…" placeholder
   * is private: a private reply never replaces a public placeholder (that would show it to everyone), it replaces
   * it with a private follow-up instead.
   */
  private async send(interaction: RepliableInteraction, reply: Reply, deferredEphemeral: boolean | null, outcome?: string): Promise<Outcome> {
    if (reply.type === 'modal') {
      if (deferredEphemeral !== null || interaction.isModalSubmit()) throw new Error('a modal can only be the first answer to a command or a button');
      await interaction.showModal(reply.modal);
      return { outcome: outcome ?? 'modal', respondedAt: performance.now() };
    }
    const payload = messagePayload(reply);
    const ephemeral = reply.ephemeral === true;
    if (deferredEphemeral === null) {
      await interaction.reply({ ...payload, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
      return { outcome: outcome ?? (ephemeral ? 'replied_private' : 'replied'), respondedAt: performance.now() };
    }
    if (ephemeral && !deferredEphemeral) {
      await interaction.deleteReply();
      await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    } else {
      await interaction.editReply(payload);
    }
    return { outcome: outcome ?? 'deferred' };
  }

  /** The member still hears back when a handler fails; returns when the error reply was acknowledged, if it was. */
  private async replyWithError(interaction: Interaction, logger: Logger): Promise<number | undefined> {
    try {
      if (interaction.isAutocomplete()) {
        if (!interaction.responded) await interaction.respond([]);
      } else if (interaction.isRepliable()) {
        if (interaction.replied) await interaction.followUp({ ...messagePayload(privateMessage(ERROR_REPLY)), flags: MessageFlags.Ephemeral });
        else await this.send(interaction, privateMessage(ERROR_REPLY), interaction.deferred ? interaction.ephemeral === true : null);
      }
      return performance.now();
    } catch (error) {
      logger.warn({ err: error }, 'could not send the error reply');
      return undefined;
    }
  }
}

function messagePayload(reply: MessageReply) {
  return {
    content: reply.content ?? '',
    embeds: reply.embeds ?? [],
    components: reply.components ?? [],
    allowedMentions: NO_MENTIONS,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function interactionKind(interaction: BaseInteraction): string {
  if (interaction.isAutocomplete()) return 'autocomplete';
  if (interaction.isChatInputCommand()) return 'command';
  if (interaction.isButton()) return 'button';
  if (interaction.isModalSubmit()) return 'modal';
  return 'other';
}

function interactionName(interaction: BaseInteraction): string | null {
  if (interaction.isCommand() || interaction.isAutocomplete()) return interaction.commandName;
  if (interaction.isMessageComponent() || interaction.isModalSubmit()) return parseCustomId(interaction.customId).prefix;
  return null;
}

function invoker(interaction: BaseInteraction): Invoker {
  const member = interaction.member;
  const roles = member ? (Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()]) : [];
  return {
    interactionId: interaction.id,
    userId: interaction.user.id,
    userName: interaction.user.username,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    locale: interaction.locale,
    memberPermissions: interaction.memberPermissions,
    roleIds: roles,
  };
}

/**
 * The options as name -> value. Discord sends each option with the type its definition declares, which is what
 * ArgumentsOf (definition.ts) promises the handler; options the member left out are absent.
 */
function commandInput(interaction: ChatInputCommandInteraction | AutocompleteInteraction): CommandInput {
  const options: Record<string, OptionValue> = {};
  for (const option of interaction.options.data as readonly CommandInteractionOption[]) {
    if (option.value !== undefined && option.value !== null) options[option.name] = option.value;
  }
  return { ...invoker(interaction), command: interaction.commandName, options };
}

function componentInput(interaction: ButtonInteraction | ModalSubmitInteraction, args: string[]): ComponentInput {
  const fields: Record<string, string> = {};
  if (interaction.isModalSubmit()) {
    for (const [id, field] of interaction.fields.fields) {
      if ('value' in field && typeof field.value === 'string') fields[id] = field.value;
    }
  }
  const message = interaction.message;
  return {
    ...invoker(interaction),
    customId: interaction.customId,
    args,
    message: message ? { id: message.id, content: message.content, embeds: message.embeds.map((embed) => embed.toJSON()) } : null,
    fields,
  };
}
