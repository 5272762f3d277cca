/**
 * Who may use the editors' commands and buttons. Editor-only commands are hidden from members by
 * default_member_permissions (Manage Messages); buttons carry no such setting, so they check the clicker.
 */
import { InteractionContextType, PermissionFlagsBits } from 'discord.js';
import type { CommandDefinition } from './definition.js';
import type { Invoker } from './command.js';

/**
 * Server admins can give the editor commands to another role in Server Settings -> Integrations. They only exist
 * in servers: in a DM with the bot default_member_permissions would not apply.
 */
export const EDITOR_PERMISSION = PermissionFlagsBits.ManageMessages;

/** A command definition made editor-only: hidden from members without Manage Messages, servers only. */
export function editorCommand<const D extends CommandDefinition>(
  definition: D,
): D & { default_member_permissions: string; contexts: readonly [InteractionContextType.Guild] } {
  return { ...definition, default_member_permissions: EDITOR_PERMISSION.toString(), contexts: [InteractionContextType.Guild] as const };
}

/**
 * Whether the member is an editor: one of the editor roles (EDITOR_ROLE_ID), or Manage Messages in the channel.
 * Every editor command and button checks it in its handler, whatever Discord's command permissions say: an admin's
 * override in Integrations can show a command to anyone, and buttons carry no permissions at all.
 */
export function isEditor(invoker: Invoker, editorRoleIds: readonly string[] = []): boolean {
  if (invoker.memberPermissions?.has(EDITOR_PERMISSION)) return true;
  return editorRoleIds.length > 0 && invoker.roleIds.some((role) => editorRoleIds.includes(role));
}

export const NOT_AN_EDITOR = 'Only editors (members with an editor role, or who can Manage Messages in this channel) can use these buttons.';

/** The reply to an editor command used by a member who is not an editor (the handler checks; see isEditor). */
export const EDITORS_ONLY = 'This command is for editors (members with an editor role, or who can Manage Messages here).';
