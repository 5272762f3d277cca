/**
 * Slash command definitions as plain data (the JSON Discord registers), and the types of their options derived
 * from them, in the spirit of discord-utils-bot's ArgumentsOf: a handler reads `input.options.question` as a
 * string without a cast, and a misspelt option name does not compile.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, type InteractionContextType } from 'discord.js';

interface OptionBase {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

export interface StringOptionDefinition extends OptionBase {
  readonly type: ApplicationCommandOptionType.String;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly autocomplete?: boolean;
  readonly choices?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

export interface NumberOptionDefinition extends OptionBase {
  readonly type: ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly autocomplete?: boolean;
  readonly choices?: ReadonlyArray<{ readonly name: string; readonly value: number }>;
}

export interface BooleanOptionDefinition extends OptionBase {
  readonly type: ApplicationCommandOptionType.Boolean;
}

/** Options whose value is an id. */
export interface IdOptionDefinition extends OptionBase {
  readonly type:
    ApplicationCommandOptionType.User | ApplicationCommandOptionType.Channel | ApplicationCommandOptionType.Role | ApplicationCommandOptionType.Mentionable;
}

/** The option kinds the bot uses (no subcommands or attachments: add them here, with their value type, when a command needs one). */
export type OptionDefinition = StringOptionDefinition | NumberOptionDefinition | BooleanOptionDefinition | IdOptionDefinition;

/** https://discord.com/developers/docs/interactions/application-commands#application-command-object (chat input commands). */
export interface CommandDefinition {
  readonly name: string;
  readonly description: string;
  readonly options?: readonly OptionDefinition[];
  /** Who sees the command by default; a permission bit set as a decimal string (editor commands, permissions.ts). */
  readonly default_member_permissions?: string | null;
  readonly contexts?: readonly InteractionContextType[];
}

/** The value the router hands over for an option: a choice's value, the string, the number, the boolean, or the id. */
export type OptionValueOf<O extends OptionDefinition> = O extends { readonly choices: ReadonlyArray<{ readonly value: infer V }> }
  ? V
  : O extends { readonly type: ApplicationCommandOptionType.String }
    ? string
    : O extends { readonly type: ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number }
      ? number
      : O extends { readonly type: ApplicationCommandOptionType.Boolean }
        ? boolean
        : string;

type OptionsOf<D extends CommandDefinition> = NonNullable<D['options']>[number];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * Option name -> value type: required options are always there, the others may be missing. For the wide
 * CommandDefinition (the router, which serves every module) it comes out as a record of optional option values.
 */
export type ArgumentsOf<D extends CommandDefinition> = Simplify<
  { readonly [O in OptionsOf<D> as O extends { readonly required: true } ? O['name'] : never]: OptionValueOf<O> } & {
    readonly [O in OptionsOf<D> as O extends { readonly required: true } ? never : O['name']]?: OptionValueOf<O>;
  }
>;

/** The names of a command's options. */
export type OptionNameOf<D extends CommandDefinition> = OptionsOf<D>['name'];

/** The body `npm run register` sends to Discord for one command. */
export function registrationBody(definition: CommandDefinition) {
  return { type: ApplicationCommandType.ChatInput, ...definition };
}
