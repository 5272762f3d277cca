import { Routes, type APIEmbed, type APIMessage, type Client, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { MessageRow } from '../command.js';

/** A message the bot sends on its own initiative (not as the answer to an interaction). */
export interface OutgoingMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: MessageRow[];
  /** Members this message may ping; everyone else is shown but not notified. */
  mentionUserIds?: string[];
}

/** The few Discord writes the editors' loop needs, behind an interface so tests can record them. */
export interface Messenger {
  send(channelId: string, message: OutgoingMessage): Promise<{ id: string }>;
  edit(channelId: string, messageId: string, message: OutgoingMessage): Promise<void>;
  sendDirect(userId: string, message: OutgoingMessage): Promise<void>;
}

function toBody(message: OutgoingMessage): RESTPostAPIChannelMessageJSONBody {
  return {
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: { parse: [], users: message.mentionUserIds ?? [] },
  };
}

/**
 * Sends through the client's REST queue (rate limits handled by discord.js) with plain API bodies: the bot has
 * only the Guilds intent and needs no cached channel objects for this. `getClient` is called at send time, as
 * the client logs in after the editors' loop is built.
 */
export function discordMessenger(getClient: () => Client): Messenger {
  const send = async (channelId: string, message: OutgoingMessage) => {
    const sent = (await getClient().rest.post(Routes.channelMessages(channelId), { body: toBody(message) })) as APIMessage;
    return { id: sent.id };
  };
  return {
    send,
    async edit(channelId, messageId, message) {
      await getClient().rest.patch(Routes.channelMessage(channelId, messageId), { body: toBody(message) });
    },
    async sendDirect(userId, message) {
      const dm = await getClient().users.createDM(userId);
      await send(dm.id, message);
    },
  };
}
