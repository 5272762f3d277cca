/**
 * The contract between the interaction router and the command modules in commands/.
 *
 * A command module is plain data plus functions of plain data: the router turns each discord.js interaction into
 * an input object (below), calls the handler, and sends the Reply it returns. Handlers never talk to Discord
 * themselves, so they can be unit-tested by calling them with an input and a context.
 *
 * Adding a command: write commands/<name>.ts exporting a CommandModule and append it to commands/index.ts.
 *
 * Buttons and modals: give a component a custom_id made with `customId(prefix, ...args)` and list a
 * ComponentHandler with that prefix in the `components` of the module that owns it. The router dispatches on the
 * text before the first ":" and hands the rest to the handler as `args`. Prefixes are unique across all modules
 * (checked at start-up).
 */
import type {
  APIActionRowComponent,
  APIApplicationCommandOptionChoice,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIModalInteractionResponseCallbackData,
  PermissionsBitField,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { KnowledgeService } from '../engine/service.js';
import type { Editorial } from './editorial/editorial.js';
import type { QuestionSink } from '../questions/sink.js';
import { MAX_CUSTOM_ID } from './limits.js';

/**
 * What every handler may use. New services (a question store, a rate limiter, the editors' channel) are added here
 * as fields and wired once in src/main.ts; handlers that do not use them are unaffected.
 */
export interface BotContext {
  /** The engine answering now. Call it once per interaction and keep the result: a reload swaps it. */
  engine(): Engine;
  knowledge: KnowledgeService;
  /** Where questions for the editors go. Await `report` before telling the member their question was passed on. */
  sink: QuestionSink;
  /** The editors' loop: question store, rate limits, editors' channel, notifications (src/discord/editorial/editorial.ts). */
  editorial: Editorial;
  /** Child logger of the interaction being handled (carries its id and command). */
  logger: Logger;
  config: Config;
}

/** Who triggered the interaction, and where. */
export interface Invoker {
  interactionId: string;
  userId: string;
  userName: string;
  guildId: string | null;
  channelId: string | null;
  locale: string;
  /** The member's permissions in the channel; null outside a guild. */
  memberPermissions: Readonly<PermissionsBitField> | null;
  /** The member's role ids; empty outside a guild. */
  roleIds: string[];
}

export type OptionValue = string | number | boolean;

export interface CommandInput extends Invoker {
  command: string;
  /** Subcommand name (`/resolve question`), or null. */
  subcommand: string | null;
  /** Option name -> value; user, role and channel options give ids. */
  options: Readonly<Record<string, OptionValue>>;
}

export interface AutocompleteInput extends CommandInput {
  /** The option the member is typing in. */
  focused: { name: string; value: string };
}

export interface ComponentInput extends Invoker {
  customId: string;
  /** The custom_id after the prefix, split on ":". */
  args: string[];
  /** The message carrying the button (for a modal: the message whose button opened it), if any. */
  message: { id: string; content: string; embeds: APIEmbed[] } | null;
  /** Modal text inputs, custom_id -> value; empty for buttons. */
  fields: Readonly<Record<string, string>>;
}

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

interface ReplyBase {
  /** A word for the interaction's log line ("answered", "unanswered"); defaults to how the reply was sent. */
  outcome?: string;
}

/** A message to send in answer to the interaction. The router adds allowed_mentions: { parse: [] } to every one. */
export interface MessageReply extends ReplyBase {
  type: 'message';
  content?: string;
  embeds?: APIEmbed[];
  components?: MessageRow[];
  /** Only the member sees it. */
  ephemeral?: boolean;
}

/** Open a modal (only as the first answer to a command or a button, so never with `defer.when: 'always'`). */
export interface ModalReply extends ReplyBase {
  type: 'modal';
  modal: APIModalInteractionResponseCallbackData;
}

export type Reply = MessageReply | ModalReply;

export type Choice = APIApplicationCommandOptionChoice<string>;

/**
 * How the router meets Discord's 3-second limit (DEFER_AFTER_MS in limits.ts).
 * - 'auto' (default): answer directly; defer ("thinking…") only if the handler is still running after DEFER_AFTER_MS.
 * - 'always': defer before the handler runs, for work known to be slow (a reload, a large export).
 * - 'never': answer directly (a handler that returns a modal).
 * `ephemeral` decides whether the "thinking…" placeholder is private; when the final reply disagrees the router
 * replaces the placeholder with a private follow-up.
 */
export interface DeferSetting {
  when: 'auto' | 'always' | 'never';
  ephemeral?: boolean | ((input: CommandInput | ComponentInput) => boolean);
}

export interface CommandModule {
  /** A discord.js SlashCommandBuilder: the name, description and options registered with Discord. */
  definition: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  defer?: DeferSetting;
  execute(input: CommandInput, ctx: BotContext): Reply | Promise<Reply>;
  /** Choices for the focused option; the router caps them at Discord's limits. Must be fast (no defer possible). */
  autocomplete?(input: AutocompleteInput, ctx: BotContext): Choice[] | Promise<Choice[]>;
  /** Buttons and modals this command's replies carry. */
  components?: ComponentHandler[];
}

export interface ComponentHandler {
  /** The custom_id text before the first ":"; unique across all modules. */
  prefix: string;
  type: 'button' | 'modal';
  defer?: DeferSetting;
  handle(input: ComponentInput, ctx: BotContext): Reply | Promise<Reply>;
}

const CUSTOM_ID_SEPARATOR = ':';

/** Builds a custom_id `prefix:arg1:arg2`; throws if it would exceed Discord's 100 characters or args hold ":". */
export function customId(prefix: string, ...args: string[]): string {
  if ([prefix, ...args].some((part) => part.includes(CUSTOM_ID_SEPARATOR))) {
    throw new Error(`custom_id parts may not contain "${CUSTOM_ID_SEPARATOR}": ${prefix} ${args.join(' ')}`);
  }
  const id = [prefix, ...args].join(CUSTOM_ID_SEPARATOR);
  if (id.length > MAX_CUSTOM_ID) throw new Error(`custom_id longer than ${MAX_CUSTOM_ID} characters: ${id}`);
  return id;
}

export function parseCustomId(id: string): { prefix: string; args: string[] } {
  const [prefix = '', ...args] = id.split(CUSTOM_ID_SEPARATOR);
  return { prefix, args };
}

/** A private message to the member. */
export function privateMessage(content: string, extra: Omit<MessageReply, 'type' | 'content' | 'ephemeral'> = {}): MessageReply {
  return { type: 'message', content, ephemeral: true, ...extra };
}
