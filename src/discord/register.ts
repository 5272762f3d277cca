/** `npm run register`'s Discord call: replaces the application's slash commands with the bot's definitions. */
import { REST, Routes, type RESTGetCurrentApplicationResult, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { CommandModule } from './command.js';
import { registrationBody } from './definition.js';

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
  const body = options.commands.map((command) => registrationBody(command.definition));
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { applicationId: application.id, guildId: options.guildId ?? null, names: registered.map((command) => command.name) };
}
