/**
 * What a handler returns: a message (content, embeds, components) or a modal. Plain data; the router sends it.
 * Kept apart from command.ts so that renderers need nothing of the handlers' context.
 */
import type { APIApplicationCommandOptionChoice, APIEmbed, APIModalInteractionResponseCallbackData } from 'discord.js';
import type { MessageRow } from './components.js';

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

/** A private message to the member. */
export function privateMessage(content: string, extra: Omit<MessageReply, 'type' | 'content' | 'ephemeral'> = {}): MessageReply {
  return { type: 'message', content, ephemeral: true, ...extra };
}
