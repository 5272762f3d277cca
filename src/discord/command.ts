/**
 * The contract between the interaction router and the command modules in commands/.
 *
 * A command module is plain data plus functions of plain data: the router turns each discord.js interaction into
 * an input object (below), calls the handler, and sends the Reply it returns. Handlers never talk to Discord
 * themselves, so they can be unit-tested by calling them with an input and a context.
 *
 * Adding a command: write commands/<name>.ts exporting `defineCommand({ definition, execute })` and append it to
 * commands/index.ts. `definition` is the JSON Discord registers (definition.ts); the options handlers receive are
 * typed from it.
 *
 * Buttons and modals: give a component a custom_id made with `customId(prefix, ...args)` (custom-ids.ts) and list
 * a ComponentHandler with that prefix in the `components` of the module that owns it. The router dispatches on the
 * text before the first ":" and hands the rest to the handler as `args`. Prefixes are unique across all modules
 * (checked at start-up).
 */
import type { APIEmbed, PermissionsBitField } from 'discord.js';
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.js';
import type { KnowledgeService } from '../engine/service.js';
import type { QuestionSink } from '../questions/sink.js';
import type { ArgumentsOf, CommandDefinition, OptionNameOf } from './definition.js';
import type { Editorial } from './editorial/editorial.js';
import type { Choice, Reply } from './reply.js';

export { privateMessage, type Choice, type MessageReply, type ModalReply, type Reply } from './reply.js';

/**
 * What every handler may use. New services are added here as fields and built once in src/app.ts (the
 * composition root); handlers that do not use them are unaffected. No secrets: the token stays in the root.
 */
export interface BotContext {
  /** The engine answering now. Call it once per interaction and keep the result: a reload swaps it. */
  engine(): Engine;
  knowledge: KnowledgeService;
  /** Where questions for the editors go. Await `report` before telling the member their question was passed on. */
  sink: QuestionSink;
  /** The editors' loop: question store, rate limits, editors' channel, notifications (editorial/editorial.ts). */
  editorial: Editorial;
  /** Child logger of the interaction being handled (carries its id and command). */
  logger: Logger;
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

export interface CommandInput<D extends CommandDefinition = CommandDefinition> extends Invoker {
  command: string;
  /** Option name -> value, typed from the definition; user, role and channel options give ids. */
  options: ArgumentsOf<D>;
}

export interface AutocompleteInput<D extends CommandDefinition = CommandDefinition> extends CommandInput<D> {
  /** The option the member is typing in. */
  focused: { name: OptionNameOf<D>; value: string };
}

export interface ComponentInput extends Invoker {
  customId: string;
  /** The custom_id after the prefix, split on ":". */
  args: string[];
  /** The message carrying the button (for a modal: the message whose button opened it), if any. */
  message: {
    id: string;
    content: string;
    embeds: APIEmbed[];
    /** Only the member it was sent to sees it (an ephemeral reply, e.g. `/ask private:true`). */
    ephemeral: boolean;
  } | null;
  /** Modal text inputs, custom_id -> value; empty for buttons. */
  fields: Readonly<Record<string, string>>;
}

/**
 * How the router meets Discord's 3-second limit (DEFER_AFTER_MS in limits.ts).
 * - 'auto' (default): answer directly; defer ("thinking…") only if the handler is still running after DEFER_AFTER_MS.
 * - 'always': defer before the handler runs, for work known to be slow (a reload, a large export).
 * - 'never': answer directly (a handler that returns a modal).
 * `ephemeral` decides whether the "thinking…" placeholder is private; when the final reply disagrees the router
 * replaces the placeholder with a private follow-up.
 */
export interface DeferSetting<I = CommandInput | ComponentInput> {
  when: 'auto' | 'always' | 'never';
  // Method-style (bivariant) so that a module typed for its own options still fits the router's list.
  ephemeral?: boolean | { rule(input: I): boolean }['rule'];
}

export interface CommandModule<D extends CommandDefinition = CommandDefinition> {
  /** The name, description and options registered with Discord (definition.ts). */
  definition: D;
  defer?: DeferSetting<CommandInput<D>>;
  execute(input: CommandInput<D>, ctx: BotContext): Reply | Promise<Reply>;
  /** Choices for the focused option; the router caps them at Discord's limits. Must be fast (no defer possible). */
  autocomplete?(input: AutocompleteInput<D>, ctx: BotContext): Choice[] | Promise<Choice[]>;
  /** Buttons and modals this command's replies carry. */
  components?: ComponentHandler[];
}

/** A command module whose options are typed from its definition (`const`: option names stay literal types). */
export function defineCommand<const D extends CommandDefinition>(module: CommandModule<D>): CommandModule<D> {
  return module;
}

export interface ComponentHandler {
  /** The custom_id text before the first ":"; unique across all modules. */
  prefix: string;
  type: 'button' | 'modal';
  defer?: DeferSetting<ComponentInput>;
  handle(input: ComponentInput, ctx: BotContext): Reply | Promise<Reply>;
}
