/**
 * Discord's limits, in one place and only in the Discord layer. Discord rejects a whole message (or command
 * registration) that breaks any of them, so the renderers, the router and the command definitions keep to them.
 */

/** https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer text and author name over all embeds of a message. */
  total: 6000,
} as const;

/** https://discord.com/developers/docs/resources/message#create-message-jsonform-params */
export const MAX_MESSAGE_CONTENT = 2000;

/** https://discord.com/developers/docs/components/reference#action-row */
export const MAX_BUTTONS_PER_ROW = 5;
/** https://discord.com/developers/docs/components/reference#action-row (a message holds at most 5 rows) */
export const MAX_ROWS_PER_MESSAGE = 5;
/** https://discord.com/developers/docs/components/reference#button */
export const MAX_BUTTON_LABEL = 80;
/** https://discord.com/developers/docs/components/reference#anatomy-of-a-component-custom-id */
export const MAX_CUSTOM_ID = 100;
/** https://discord.com/developers/docs/components/reference#modal */
export const MAX_MODAL_TITLE = 45;
/** https://discord.com/developers/docs/components/reference#label */
export const MAX_LABEL = 45;
/** https://discord.com/developers/docs/components/reference#text-input */
export const TEXT_INPUT_LIMITS = { value: 4000, placeholder: 100 } as const;

/** https://discord.com/developers/docs/interactions/application-commands#autocomplete */
export const MAX_AUTOCOMPLETE_CHOICES = 25;
/** https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure */
export const MAX_CHOICE_NAME = 100;
export const MAX_CHOICE_VALUE = 100;

/** https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-structure */
export const COMMAND_LIMITS = { name: 32, description: 100, options: 25, choices: 25 } as const;

/**
 * https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
 * An interaction must get its first response within 3 seconds; its token then stays valid for 15 minutes.
 */
export const INTERACTION_RESPONSE_DEADLINE_MS = 3000;
/** The router defers a handler still running after this long, leaving half the time for the network. */
export const DEFER_AFTER_MS = INTERACTION_RESPONSE_DEADLINE_MS / 2;
