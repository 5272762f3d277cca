/**
 * One interaction's conversation with Discord, used only by the router (router.ts decides what to send and when).
 * The first response goes through the transport that carried the interaction (the gateway: the REST callback
 * route; HTTP: the body of the HTTP response); everything after it (edits, deletes, follow-ups) goes through the
 * interaction's webhook on the REST API, the same for both transports.
 */
import {
  InteractionResponseType,
  MessageFlags,
  Routes,
  type APIAllowedMentions,
  type APIApplicationCommandOptionChoice,
  type APIEmbed,
  type APIInteraction,
  type APIInteractionResponse,
  type APIModalInteractionResponseCallbackData,
  type REST,
} from 'discord.js';
import type { MessageRow } from './components.js';

/** Delivers an interaction's first response; resolves once it is handed over (and rejects if it cannot be). */
export type Respond = (response: APIInteractionResponse) => Promise<void>;

/** A message body as Discord's interaction and webhook routes take it. */
export interface MessageBody {
  content: string;
  embeds: APIEmbed[];
  components: MessageRow[];
  allowed_mentions: APIAllowedMentions;
}

/** The REST routes of an interaction's webhook, and the initial response through its transport. */
export class Exchange {
  /** A message or a modal was the first response. */
  replied = false;
  /** "Thinking…" was the first response. */
  deferred = false;
  /** Whether the first response (the message, or the placeholder) is private. */
  ephemeral = false;
  /** Autocomplete: the choices were sent. */
  responded = false;

  constructor(
    readonly payload: APIInteraction,
    private readonly respond: Respond,
    private readonly rest: REST,
  ) {}

  async reply(body: MessageBody, ephemeral: boolean): Promise<void> {
    this.assertFirst();
    await this.respond({ type: InteractionResponseType.ChannelMessageWithSource, data: { ...body, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) } });
    this.replied = true;
    this.ephemeral = ephemeral;
  }

  async deferReply(ephemeral: boolean): Promise<void> {
    this.assertFirst();
    await this.respond({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: MessageFlags.Ephemeral } : {} });
    this.deferred = true;
    this.ephemeral = ephemeral;
  }

  async showModal(modal: APIModalInteractionResponseCallbackData): Promise<void> {
    this.assertFirst();
    await this.respond({ type: InteractionResponseType.Modal, data: modal });
    this.replied = true;
  }

  async choices(choices: APIApplicationCommandOptionChoice[]): Promise<void> {
    if (this.responded) throw new Error('the choices of this autocomplete were already sent');
    await this.respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
    this.responded = true;
  }

  /** Replaces the deferred placeholder (or the first reply) with this message. */
  async editReply(body: MessageBody): Promise<void> {
    await this.rest.patch(Routes.webhookMessage(this.payload.application_id, this.payload.token, '@original'), { body, auth: false });
  }

  async deleteReply(): Promise<void> {
    await this.rest.delete(Routes.webhookMessage(this.payload.application_id, this.payload.token, '@original'), { auth: false });
  }

  async followUp(body: MessageBody, ephemeral: boolean): Promise<void> {
    const flags = ephemeral ? { flags: MessageFlags.Ephemeral } : {};
    await this.rest.post(Routes.webhook(this.payload.application_id, this.payload.token), {
      body: { ...body, ...flags },
      auth: false,
      query: new URLSearchParams({ wait: 'true' }),
    });
  }

  private assertFirst(): void {
    if (this.replied || this.deferred) throw new Error('this interaction was already answered');
  }
}

/** The gateway's first response: the interaction callback route of the REST API. */
export function callbackThroughRest(rest: REST, payload: APIInteraction): Respond {
  return async (response) => {
    await rest.post(Routes.interactionCallback(payload.id, payload.token), { body: response, auth: false });
  };
}
