/**
 * Discord's interaction payload (the JSON both transports receive: the gateway's INTERACTION_CREATE and the HTTP
 * endpoint's POST body) read into the plain input the handlers get. Pure functions of the payload: whichever
 * transport carried it, the same payload gives the same input.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionType,
  MessageFlags,
  PermissionsBitField,
  type APIEmbed,
  type APIInteraction,
} from 'discord.js';
import type { CommandInput, ComponentInput, Invoker, OptionValue } from './command.js';
import { parseCustomId } from './custom-ids.js';

/** What the router needs to know about an interaction before dispatching it (and for its log line). */
export type InteractionKind = 'command' | 'autocomplete' | 'button' | 'modal' | 'other';

/** Discord's default when a payload names no locale. */
const DEFAULT_LOCALE = 'en-US';

/** A loosely typed view: payloads come from the network, so every field is checked where it is read. */
type Loose = Record<string, unknown>;

function record(value: unknown): Loose | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function dataOf(payload: APIInteraction): Loose {
  return record((payload as unknown as Loose).data) ?? {};
}

export function interactionKind(payload: APIInteraction): InteractionKind {
  const data = dataOf(payload);
  switch (payload.type) {
    case InteractionType.ApplicationCommandAutocomplete:
      return 'autocomplete';
    case InteractionType.ApplicationCommand:
      return data.type === ApplicationCommandType.ChatInput ? 'command' : 'other';
    case InteractionType.MessageComponent:
      return data.component_type === ComponentType.Button ? 'button' : 'other';
    case InteractionType.ModalSubmit:
      return 'modal';
    default:
      return 'other';
  }
}

/** The command name, or the custom_id prefix of a component or modal; null for anything else. */
export function interactionName(payload: APIInteraction): string | null {
  const data = dataOf(payload);
  if (payload.type === InteractionType.ApplicationCommand || payload.type === InteractionType.ApplicationCommandAutocomplete) return text(data.name);
  if (payload.type === InteractionType.MessageComponent || payload.type === InteractionType.ModalSubmit) {
    const id = text(data.custom_id);
    return id === null ? null : parseCustomId(id).prefix;
  }
  return null;
}

/** The custom_id of a component or modal submit ('' when there is none). */
export function customIdOf(payload: APIInteraction): string {
  return text(dataOf(payload).custom_id) ?? '';
}

/** Whether a message (or a modal) may answer it: everything but PING and autocomplete. */
export function isRepliable(payload: APIInteraction): boolean {
  return payload.type !== InteractionType.Ping && payload.type !== InteractionType.ApplicationCommandAutocomplete;
}

/** The member (in a server) or user (in a DM) who triggered it; null in a payload that names neither. */
export function userOf(payload: APIInteraction): { id: string; username: string } | null {
  const loose = payload as unknown as Loose;
  const user = record(record(loose.member)?.user) ?? record(loose.user);
  const id = text(user?.id);
  return id === null ? null : { id, username: text(user?.username) ?? '' };
}

export function guildIdOf(payload: APIInteraction): string | null {
  return text((payload as unknown as Loose).guild_id);
}

export function invoker(payload: APIInteraction): Invoker {
  const loose = payload as unknown as Loose;
  const user = userOf(payload);
  if (!user) throw new Error('the interaction names no user');
  const member = record(loose.member);
  const permissions = text(member?.permissions);
  const roles = Array.isArray(member?.roles) ? member.roles.filter((role): role is string => typeof role === 'string') : [];
  return {
    interactionId: String(payload.id),
    userId: user.id,
    userName: user.username,
    guildId: guildIdOf(payload),
    channelId: text(record(loose.channel)?.id) ?? text(loose.channel_id),
    locale: text(loose.locale) ?? DEFAULT_LOCALE,
    memberPermissions: permissions !== null && /^\d+$/.test(permissions) ? new PermissionsBitField(BigInt(permissions)).freeze() : null,
    roleIds: roles,
  };
}

function optionsOf(data: Loose): Loose[] {
  return Array.isArray(data.options) ? data.options.map(record).filter((option): option is Loose => option !== null) : [];
}

function isOptionValue(value: unknown): value is OptionValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * The options as name -> value. Discord sends each option with the type its definition declares, which is what
 * ArgumentsOf (definition.ts) promises the handler; options the member left out are absent.
 */
export function commandInput(payload: APIInteraction): CommandInput {
  const data = dataOf(payload);
  const options: Record<string, OptionValue> = {};
  for (const option of optionsOf(data)) {
    const name = text(option.name);
    if (name !== null && isOptionValue(option.value)) options[name] = option.value;
  }
  return { ...invoker(payload), command: text(data.name) ?? '', options };
}

/** The option the member is typing in (inside subcommands too); throws when the payload marks none. */
export function focusedOption(payload: APIInteraction): { name: string; value: string } {
  const search = (options: Loose[]): Loose | undefined => {
    for (const option of options) {
      if (option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup) {
        const inner = search(optionsOf(option));
        if (inner) return inner;
      } else if (option.focused === true) {
        return option;
      }
    }
    return undefined;
  };
  const focused = search(optionsOf(dataOf(payload)));
  const name = text(focused?.name);
  if (!focused || name === null) throw new Error('the autocomplete interaction has no focused option');
  return { name, value: isOptionValue(focused.value) ? String(focused.value) : '' };
}

/** Modal text inputs, custom_id -> value, wherever they sit (in action rows or label components). */
function modalFields(components: unknown, into: Record<string, string> = {}): Record<string, string> {
  if (!Array.isArray(components)) return into;
  for (const item of components) {
    const component = record(item);
    if (!component) continue;
    if (component.type === ComponentType.TextInput) {
      const id = text(component.custom_id);
      const value = text(component.value);
      if (id !== null && value !== null) into[id] = value;
    }
    if (Array.isArray(component.components)) modalFields(component.components, into);
    if (component.component !== undefined) modalFields([component.component], into);
  }
  return into;
}

export function componentInput(payload: APIInteraction, args: string[]): ComponentInput {
  const loose = payload as unknown as Loose;
  const message = record(loose.message);
  const embeds = Array.isArray(message?.embeds) ? message.embeds.map(record).filter((embed): embed is Loose => embed !== null) : [];
  return {
    ...invoker(payload),
    customId: customIdOf(payload),
    args,
    message: message
      ? {
          id: text(message.id) ?? '',
          content: text(message.content) ?? '',
          embeds: embeds as APIEmbed[],
          ephemeral: typeof message.flags === 'number' && (message.flags & MessageFlags.Ephemeral) !== 0,
        }
      : null,
    fields: payload.type === InteractionType.ModalSubmit ? modalFields(dataOf(payload).components) : {},
  };
}
