/**
 * The few Discord writes the editors' loop makes on its own initiative (posts in the editors' channel, edits of
 * them, notifications), over REST: no gateway connection needed, so it works before login and after disconnect.
 */
import { Routes, type APIChannel, type APIEmbed, type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { MessageRow } from '../components.js';

/** A message the bot sends on its own initiative (not as the answer to an interaction). */
export interface OutgoingMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: MessageRow[];
  /** Members this message may ping; everyone else is shown but not notified. */
  mentionUserIds?: string[];
}

/** Behind an interface so tests can record what is sent. */
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
 * Sends with plain API bodies through a REST client that has the bot's token (its queue handles Discord's rate
 * limits); the bot has only the Guilds intent and needs no cached channel objects for this.
 */
export function restMessenger(rest: REST): Messenger {
  const send = async (channelId: string, message: OutgoingMessage) => {
    const sent = (await rest.post(Routes.channelMessages(channelId), { body: toBody(message) })) as APIMessage;
    return { id: sent.id };
  };
  return {
    send,
    async edit(channelId, messageId, message) {
      await rest.patch(Routes.channelMessage(channelId, messageId), { body: toBody(message) });
    },
    async sendDirect(userId, message) {
      const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      await send(dm.id, message);
    },
  };
}
