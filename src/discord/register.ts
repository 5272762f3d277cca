import { REST, Routes, type RESTGetCurrentApplicationResult, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { CommandModule } from './command.js';

export interface Registration {
  applicationId: string;
  /** The guild the commands went to, or null for global registration. */
  guildId: string | null;
  names: string[];
}

/**
 * Replaces the application's slash commands with `commands`: in one guild (instant; for testing a server) or
 * globally (every server the bot is in). The application id is read from the token's application.
 */
export async function registerCommands(options: {
  apiUrl: string;
  token: string;
  guildId: string | undefined;
  commands: readonly CommandModule[];
}): Promise<Registration> {
  const rest = new REST({ api: options.apiUrl }).setToken(options.token);
  const application = (await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult;
  const route = options.guildId ? Routes.applicationGuildCommands(application.id, options.guildId) : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body: options.commands.map((command) => command.definition.toJSON()) })) as RESTPutAPIApplicationCommandsResult;
  return { applicationId: application.id, guildId: options.guildId ?? null, names: registered.map((command) => command.name) };
}
