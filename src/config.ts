import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT, UsageError, knowledgeDir } from './cli/common.js';
import { NOTIFY_MODES, type NotifyMode } from './discord/editorial/notify.js';
import { parseRateLimit, type MemberRateLimitSettings } from './questions/rate-limit.js';

/**
 * The bot's configuration: one schema over the environment, parsed once at start-up. Add a variable here (and to
 * the README's configuration table); its name in the schema is its name in the environment.
 */
const snowflake = z.string().regex(/^\d{17,20}$/, 'expected a Discord id (17 to 20 digits)');

/** COUNT/WINDOW ("5/1m") or off; see parseRateLimit. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        return parseRateLimit(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

const environmentSchema = z.object({
  // Three dot-separated base64url parts. The message never echoes the value.
  DISCORD_TOKEN: z.string().regex(/^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/, 'does not look like a bot token (three dot-separated parts)'),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('https://discord.com/api'),
  KNOWLEDGE_DIR: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'data')),
  EDITORIAL_CHANNEL_ID: snowflake.optional(),
  NOTIFY_ASKERS: z.enum(NOTIFY_MODES).default('off'),
  ASK_RATE_LIMIT: rateLimit('5/1m'),
  FLAG_RATE_LIMIT: rateLimit('5/10m'),
  EDITORIAL_POST_LIMIT: rateLimit('5/1h'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: z.enum(['0', '1']).default('0'),
});

export interface Config {
  discordToken: string;
  /** Register commands to this guild (instant) instead of globally. */
  guildId: string | undefined;
  /** REST base without a trailing slash; the gateway address is discovered through it. */
  apiUrl: string;
  knowledgeDir: string;
  /** Where the editors' question store lives. */
  dataDir: string;
  /** Where each new open question is posted for the editors; unset: no posts (the queue is still stored). */
  editorialChannelId: string | undefined;
  /** How members hear that /resolve linked an article to their question. */
  notifyAskers: NotifyMode;
  /** Per-member limits on /ask, on flags, and on the editors' channel posts one member can cause. */
  rateLimits: MemberRateLimitSettings;
  logLevel: string;
  logPretty: boolean;
}

/** A configuration problem, printed as one line naming the variable (never its value); exit code 2. */
export class ConfigError extends UsageError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export const MISSING_TOKEN_HELP = [
  'DISCORD_TOKEN is not set, so the bot cannot connect to Discord.',
  'Get one: https://discord.com/developers/applications -> New Application -> Bot -> Reset Token, then put',
  'DISCORD_TOKEN=<token> in a .env file in the project folder (see README, "Run it on your server").',
  'To try the answers without Discord: npm run ask -- "What is an iron condor?"',
].join('\n');

/** Loads `.env` from the project folder into process.env if the file exists; variables already set win. */
export function loadDotEnv(file = path.join(PROJECT_ROOT, '.env')): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** `.env` (if any) over the environment, parsed: what `npm start` and `npm run register` run with. */
export function loadConfig(): Config {
  loadDotEnv();
  return parseConfig(process.env);
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  if (!env.DISCORD_TOKEN) throw new ConfigError('DISCORD_TOKEN', MISSING_TOKEN_HELP);
  // Empty strings mean "not set", as they do for most shells and .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    throw new ConfigError(variable, `${variable} is invalid: ${issue.message}`);
  }
  const values = parsed.data;
  return {
    discordToken: values.DISCORD_TOKEN,
    guildId: values.DISCORD_GUILD_ID,
    apiUrl: values.DISCORD_API_URL.replace(/\/+$/, ''),
    knowledgeDir: knowledgeDir(values.KNOWLEDGE_DIR),
    dataDir: path.resolve(values.DATA_DIR),
    editorialChannelId: values.EDITORIAL_CHANNEL_ID,
    notifyAskers: values.NOTIFY_ASKERS,
    rateLimits: { ask: values.ASK_RATE_LIMIT, flag: values.FLAG_RATE_LIMIT, editorialPosts: values.EDITORIAL_POST_LIMIT },
    logLevel: values.LOG_LEVEL,
    logPretty: values.LOG_PRETTY === '1',
  };
}
