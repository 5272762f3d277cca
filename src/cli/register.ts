/** `npm run register`: registers the slash commands with Discord, in DISCORD_GUILD_ID or globally. */
import { commands } from '../app.js';
import { loadConfig } from '../config.js';
import { registerCommands } from '../discord/register.js';
import { parseCommandLine, runCli } from './common.js';

const HELP = `Usage: npm run register

Registers the bot's slash commands (${commands.map((command) => `/${command.definition.name}`).join(', ')}) with Discord for
the application of DISCORD_TOKEN: in DISCORD_GUILD_ID when set (available at once, for trying a server), otherwise
globally (every server the bot is in; Discord may take a few minutes to show them). Run it again after changing a
command's name, description or options. Reads the environment and .env like npm start.
`;

runCli(async () => {
  if (parseCommandLine({ help: HELP }).help) return 0;
  const config = loadConfig();
  const registration = await registerCommands({ apiUrl: config.apiUrl, token: config.discordToken, guildId: config.guildId, commands });
  const names = registration.names.map((name) => `/${name}`).join(', ');
  const where = registration.guildId
    ? `in guild ${registration.guildId} (available now)`
    : 'globally (every server the bot is in; Discord may take a few minutes to show them)';
  process.stdout.write(`Registered ${registration.names.length} commands ${where}: ${names}\n`);
  return 0;
});
