/**
 * Building blocks of Discord payloads: buttons and their rows, embed fields, embeds cut to Discord's limits, and
 * the one style of modal the bot shows (each text input inside a label component).
 */
import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import { EMBED_LIMITS, MAX_BUTTON_LABEL, MAX_BUTTONS_PER_ROW, MAX_LABEL, MAX_MODAL_TITLE, TEXT_INPUT_LIMITS } from './limits.js';
import { truncate } from './text.js';

/** Sent with every message: text a member typed (@everyone, <@id>, <@&role>) never pings anyone. */
export const NO_MENTIONS = { parse: [] };

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export function field(name: string, value: string, inline = false): APIEmbedField {
  return { name, value, inline };
}

export function linkButton(label: string, url: string): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Link, label: truncate(label, MAX_BUTTON_LABEL), url };
}

export function button(
  label: string,
  id: string,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger,
): APIButtonComponent {
  return { type: ComponentType.Button, style, label: truncate(label, MAX_BUTTON_LABEL), custom_id: id };
}

/** Buttons in rows of at most five. */
export function rows(buttons: APIButtonComponent[]): MessageRow[] {
  const result: MessageRow[] = [];
  for (let i = 0; i < buttons.length; i += MAX_BUTTONS_PER_ROW) {
    result.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + MAX_BUTTONS_PER_ROW) });
  }
  return result;
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, part) => sum + part.name.length + part.value.length, 0)
  );
}

/**
 * Makes an embed fit Discord's limits: each part is cut to its own limit, then, while the total is over 6,000
 * characters, the description is shortened and then the last fields are dropped (the footer, which holds the
 * disclaimer, is kept).
 */
export function enforceEmbedLimits(embed: APIEmbed): APIEmbed {
  const fitted: APIEmbed = {
    ...embed,
    ...(embed.title !== undefined ? { title: truncate(embed.title, EMBED_LIMITS.title) } : {}),
    ...(embed.description !== undefined ? { description: truncate(embed.description, EMBED_LIMITS.description, { markdown: true }) } : {}),
    ...(embed.footer ? { footer: { ...embed.footer, text: truncate(embed.footer.text, EMBED_LIMITS.footerText) } } : {}),
    ...(embed.author ? { author: { ...embed.author, name: truncate(embed.author.name, EMBED_LIMITS.authorName) } } : {}),
    ...(embed.fields
      ? {
          fields: embed.fields.slice(0, EMBED_LIMITS.fields).map((part) => ({
            ...part,
            name: truncate(part.name, EMBED_LIMITS.fieldName),
            value: truncate(part.value, EMBED_LIMITS.fieldValue, { markdown: true }),
          })),
        }
      : {}),
  };
  const excess = embedLength(fitted) - EMBED_LIMITS.total;
  if (excess > 0 && fitted.description) {
    const keep = Math.max(fitted.description.length - excess, 0);
    fitted.description = keep > 1 ? truncate(fitted.description, keep, { markdown: true }) : '';
  }
  while (embedLength(fitted) > EMBED_LIMITS.total && fitted.fields?.length) fitted.fields = fitted.fields.slice(0, -1);
  return fitted;
}

export interface TextInput {
  /** The custom_id the submitted value comes back under (custom-ids.ts MODAL_FIELDS). */
  id: string;
  label: string;
  description?: string;
  /** One line, or a paragraph box. */
  multiline?: boolean;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  placeholder?: string;
  /** Pre-filled text; cut to maxLength. */
  value?: string | null;
}

/** A modal of text inputs, each in a label component (Discord's current modal layout). */
export function textModal(customId: string, title: string, inputs: TextInput[]): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId,
    title: truncate(title, MAX_MODAL_TITLE),
    components: inputs.map((input) => {
      const maxLength = Math.min(input.maxLength ?? TEXT_INPUT_LIMITS.value, TEXT_INPUT_LIMITS.value);
      return {
        type: ComponentType.Label,
        label: truncate(input.label, MAX_LABEL),
        ...(input.description ? { description: input.description } : {}),
        component: {
          type: ComponentType.TextInput,
          custom_id: input.id,
          style: input.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: input.required ?? false,
          ...(input.minLength !== undefined ? { min_length: input.minLength } : {}),
          max_length: maxLength,
          ...(input.placeholder ? { placeholder: truncate(input.placeholder, TEXT_INPUT_LIMITS.placeholder) } : {}),
          ...(input.value ? { value: input.value.slice(0, maxLength) } : {}),
        },
      };
    }),
  };
}
