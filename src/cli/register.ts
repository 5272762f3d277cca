/** `npm run register`: registers the slash commands with Discord, in DISCORD_GUILD_ID or globally. */
import { commands } from '../../commands/index.js';
import { loadConfig } from '../config.js';
import { registerCommands } from '../discord/register.js';
import { runCli } from './common.js';

runCli(async () => {
  const config = loadConfig();
  const registration = await registerCommands({ apiUrl: config.apiUrl, token: config.discordToken, guildId: config.guildId, commands });
  const names = registration.names.map((name) => `/${name}`).join(', ');
  const where = registration.guildId
    ? `in guild ${registration.guildId} (available now)`
    : 'globally (every server the bot is in; Discord may take a few minutes to show them)';
  process.stdout.write(`Registered ${registration.names.length} commands ${where}: ${names}\n`);
});
