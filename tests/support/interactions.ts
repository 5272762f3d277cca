/**
 * INTERACTION_CREATE payloads with the fields real Discord sends. discord.js reads most of them unconditionally
 * (BaseInteraction: entitlements, authorizing_integration_owners, app_permissions, locale, member.user or user...),
 * so a thinner payload would crash the client instead of exercising the bot.
 */
import { randomBytes } from 'node:crypto';
import { APPLICATION_ID, discordMessage, snowflake } from './fake-discord.js';

export const GUILD_ID = '1200000000000000001';
export const CHANNEL_ID = '1300000000000000001';
export const MEMBER_ID = '1400000000000000001';
const COMMAND_IDS: Record<string, string> = { ask: '1500000000000000001', glossary: '1500000000000000002', flag: '1500000000000000003' };

export const InteractionType = { ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4, ModalSubmit: 5 } as const;
const OptionType = { String: 3, Boolean: 5 } as const;

export interface SentInteraction {
  id: string;
  token: string;
  payload: Record<string, unknown>;
}

const user = { id: MEMBER_ID, username: 'member', discriminator: '0', global_name: 'A Member', avatar: null, public_flags: 0 };

function base(type: number, data: object, extra: object = {}): SentInteraction {
  const id = snowflake();
  const token = `aW50ZXJhY3Rpb246${randomBytes(24).toString('base64url')}`;
  return {
    id,
    token,
    payload: {
      id,
      application_id: APPLICATION_ID,
      type,
      data,
      guild_id: GUILD_ID,
      guild: { id: GUILD_ID, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      channel_id: CHANNEL_ID,
      channel: {
        id: CHANNEL_ID,
        type: 0,
        guild_id: GUILD_ID,
        name: 'general',
        position: 0,
        permissions: '2248473465835073',
        nsfw: false,
        parent_id: null,
        flags: 0,
      },
      member: {
        user,
        roles: [],
        permissions: '2248473465835073',
        nick: null,
        avatar: null,
        joined_at: '2025-01-01T00:00:00.000Z',
        premium_since: null,
        deaf: false,
        mute: false,
        pending: false,
        flags: 0,
        communication_disabled_until: null,
      },
      token,
      version: 1,
      app_permissions: '2248473465835073',
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': GUILD_ID },
      context: 0,
      attachment_size_limit: 26214400,
      ...extra,
    },
  };
}

type OptionValue = string | boolean;

function commandOptions(options: Record<string, OptionValue>, focused?: string) {
  return Object.entries(options).map(([name, value]) => ({
    name,
    type: typeof value === 'boolean' ? OptionType.Boolean : OptionType.String,
    value,
    ...(name === focused ? { focused: true } : {}),
  }));
}

export function slashCommand(name: string, options: Record<string, OptionValue>): SentInteraction {
  return base(InteractionType.ApplicationCommand, {
    id: COMMAND_IDS[name] ?? snowflake(),
    name,
    type: 1,
    guild_id: GUILD_ID,
    options: commandOptions(options),
  });
}

export function autocomplete(name: string, options: Record<string, OptionValue>, focused: string): SentInteraction {
  return base(InteractionType.Autocomplete, {
    id: COMMAND_IDS[name] ?? snowflake(),
    name,
    type: 1,
    guild_id: GUILD_ID,
    options: commandOptions(options, focused),
  });
}

/** A message the bot sent, as Discord hands it back inside a component interaction. */
export function botMessage(reply: { content?: string; embeds?: unknown[]; components?: unknown[]; flags?: number }): Record<string, unknown> {
  return discordMessage(
    {
      type: 20,
      // Fields the reply leaves undefined keep the message defaults.
      ...Object.fromEntries(Object.entries(reply).filter(([, value]) => value !== undefined)),
      application_id: APPLICATION_ID,
      interaction_metadata: { id: snowflake(), type: 2, user, authorizing_integration_owners: { '0': GUILD_ID }, name: 'ask' },
    },
    CHANNEL_ID,
  );
}

export function buttonClick(customId: string, message: Record<string, unknown>): SentInteraction {
  return base(InteractionType.MessageComponent, { custom_id: customId, component_type: 2 }, { message });
}

/** A modal submitted with text inputs inside label components, as current Discord sends them. */
export function modalSubmit(customId: string, fields: Record<string, string>, message?: Record<string, unknown>): SentInteraction {
  const components = Object.entries(fields).map(([id, value]) => ({ type: 18, id: 1, component: { type: 4, id: 2, custom_id: id, value } }));
  return base(InteractionType.ModalSubmit, { custom_id: customId, components }, message ? { message } : {});
}
