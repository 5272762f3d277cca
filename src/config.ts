/**
 * The bot's configuration: one schema over the environment, parsed once at start-up by the entry points (src/main.ts,
 * npm run register). Only the composition root and the entry points import this file; everything below gets plain options.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { NOTIFY_MODES, type NotifyMode } from './discord/editorial/notify.js';
import { UsageError } from './errors.js';
import { DEFAULT_DATA_DIR, DEFAULT_KNOWLEDGE_DIR, PROJECT_ROOT } from './paths.js';
import { LEARNED_REFRESH_MS } from './questions/learned.js';
import { parseRateLimit, type MemberRateLimitSettings } from './questions/rate-limit.js';

/**
 * Add a variable here (and to the README's configuration table); its name in the schema is its name in the
 * environment. Messages never quote the value: it may be a secret, or sit next to one in a log.
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

/** A TCP port; 0 lets the system choose one (tests). */
const port = z
  .string()
  .regex(/^\d{1,5}$/, 'expected a port number (0 to 65535)')
  .transform(Number)
  .refine((value) => value <= 65_535, 'expected a port number (0 to 65535)');

/** The port of the interactions endpoint when PORT is not set. */
export const DEFAULT_PORT = 8080;

const INTERACTION_TRANSPORTS = ['gateway', 'http'] as const;

const folder = z.string().refine((dir) => existsSync(dir) && statSync(dir).isDirectory(), 'folder not found');

const environmentSchema = z.object({
  // Three dot-separated base64url parts.
  DISCORD_TOKEN: z.string().regex(/^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/, 'does not look like a bot token (three dot-separated parts)'),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('https://discord.com/api'),
  KNOWLEDGE_DIR: z
    .string()
    .default(DEFAULT_KNOWLEDGE_DIR)
    .transform((dir) => path.resolve(dir))
    .pipe(folder),
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/i, 'expected a PostgreSQL URL: postgres://USER:PASSWORD@HOST:5432/DATABASE')
    .optional(),
  EDITORIAL_CHANNEL_ID: snowflake.optional(),
  // One role id, or several separated by commas.
  EDITOR_ROLE_ID: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(snowflake, { error: 'expected Discord role ids (17 to 20 digits), separated by commas' }))
    .optional(),
  NOTIFY_ASKERS: z.enum(NOTIFY_MODES, { error: `expected one of ${NOTIFY_MODES.join(', ')}` }).default('off'),
  ASK_RATE_LIMIT: rateLimit('5/1m'),
  FLAG_RATE_LIMIT: rateLimit('5/10m'),
  EDITORIAL_POST_LIMIT: rateLimit('5/1h'),
  INTERACTIONS: z.enum(INTERACTION_TRANSPORTS, { error: 'expected gateway or http' }).default('gateway'),
  // Unset: 8080 for the interactions endpoint; with the gateway, no port is opened.
  PORT: port.optional(),
  // The older name of PORT for the gateway's operations endpoints; PORT wins when both are set.
  HEALTH_PORT: port.optional(),
  // Milliseconds; 0 turns the periodic refresh off (a single bot on its own store needs none).
  LEARNED_REFRESH_MS: z
    .string()
    .regex(/^\d{1,9}$/, 'expected a number of milliseconds (0: off)')
    .transform(Number)
    .default(LEARNED_REFRESH_MS),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "expected the 64 hexadecimal digits of the application's public key (Developer Portal, General Information)")
    .optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected fatal, error, warn, info, debug, trace or silent' })
    .default('info'),
  LOG_PRETTY: z.enum(['0', '1'], { error: 'expected 0 or 1' }).default('0'),
});

export interface Config {
  discordToken: string;
  /** Register commands to this guild (instant) instead of globally. */
  guildId: string | undefined;
  /** REST base without a trailing slash; the gateway address is discovered through it. */
  apiUrl: string;
  knowledgeDir: string;
  /** Where the editors' question store lives (SQLite), unless databaseUrl is set. */
  dataDir: string;
  /** PostgreSQL instead of SQLite: the store several replicas share (it may hold a password: never logged). */
  databaseUrl: string | undefined;
  /** Where each new open question is posted for the editors; unset: no posts (the queue is still stored). */
  editorialChannelId: string | undefined;
  /** Roles whose members are editors, besides those who can Manage Messages. */
  editorRoleIds: string[];
  /** How members hear that /resolve linked an article to their question. */
  notifyAskers: NotifyMode;
  /** Per-member limits on /ask, on flags, and on the editors' channel posts one member can cause. */
  rateLimits: MemberRateLimitSettings;
  /** How interactions arrive: the gateway connection, or Discord's POSTs to the HTTP interactions endpoint. */
  interactions: (typeof INTERACTION_TRANSPORTS)[number];
  /** INTERACTIONS=http: the port of POST /interactions and the operations endpoints. */
  port: number;
  /** INTERACTIONS=gateway: the port of the operations endpoints (PORT, or HEALTH_PORT), if any. */
  healthPort: number | undefined;
  /** How often the learned phrasings are read from the store again (other replicas' resolves); 0: never. */
  learnedRefreshMs: number;
  /** The application's Ed25519 public key (hex), required with INTERACTIONS=http. */
  publicKey: string | undefined;
  logLevel: string;
  logPretty: boolean;
}

export interface ConfigProblem {
  variable: string;
  message: string;
}

/**
 * Every configuration problem at once, one line each, naming the variable (never its value); exit code 2. Alone,
 * a missing DISCORD_TOKEN prints the guidance to get one.
 */
export class ConfigError extends UsageError {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      problems.length === 1
        ? problems[0]!.message
        : [`${problems.length} problems in the configuration (the environment or .env):`, ...problems.map((problem) => `  ${problem.message}`)].join('\n'),
    );
    this.name = 'ConfigError';
  }

  /** The first variable at fault. */
  get variable(): string {
    return this.problems[0]?.variable ?? '';
  }
}

export const MISSING_TOKEN_HELP = [
  'DISCORD_TOKEN is not set, so the bot cannot connect to Discord.',
  'Get one: https://discord.com/developers/applications -> New Application -> Bot -> Reset Token, then put',
  'DISCORD_TOKEN=<token> in a .env file in the project folder (see README, "Run it on your server").',
  'To try the answers without Discord: npm run ask -- "What is an iron condor?"',
].join('\n');

const MISSING_TOKEN_LINE = 'DISCORD_TOKEN is not set: get one at https://discord.com/developers/applications (README, "Run it on your server")';

/** Loads `.env` from the project folder into process.env if the file exists; variables already set win. */
export function loadDotEnv(file = path.join(PROJECT_ROOT, '.env')): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** `.env` (if any) over the environment, parsed: what `npm start` and `npm run register` run with. */
export function loadConfig(): Config {
  loadDotEnv();
  return parseConfig(process.env);
}

function describeProblem(variable: string, unset: boolean, message: string, value?: string): string {
  // DISCORD_TOKEN is the one required variable; zod's wording for it ("expected string, received undefined") is replaced.
  if (variable === 'DISCORD_TOKEN' && unset) return MISSING_TOKEN_LINE;
  if (variable === 'KNOWLEDGE_DIR' && unset)
    return `KNOWLEDGE_DIR is not set and the knowledge folder shipped with the bot (${DEFAULT_KNOWLEDGE_DIR}) is missing`;
  // A folder path is no secret, and which folder was looked for is what the operator needs to see.
  if (variable === 'KNOWLEDGE_DIR' && value !== undefined) return `KNOWLEDGE_DIR is invalid: ${message}: ${path.resolve(value)}`;
  return `${variable} is invalid: ${message}`;
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // Empty strings mean "not set", as they do for most shells and .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  // Checked apart from the schema so that it is listed with the other problems, not only once they are fixed.
  const publicKeyMissing = present.INTERACTIONS === 'http' && present.DISCORD_PUBLIC_KEY === undefined;
  if (parsed.success && !publicKeyMissing) {
    const values = parsed.data;
    return {
      discordToken: values.DISCORD_TOKEN,
      guildId: values.DISCORD_GUILD_ID,
      apiUrl: values.DISCORD_API_URL.replace(/\/+$/, ''),
      knowledgeDir: values.KNOWLEDGE_DIR,
      dataDir: path.resolve(values.DATA_DIR),
      databaseUrl: values.DATABASE_URL,
      editorialChannelId: values.EDITORIAL_CHANNEL_ID,
      editorRoleIds: values.EDITOR_ROLE_ID ?? [],
      notifyAskers: values.NOTIFY_ASKERS,
      rateLimits: { ask: values.ASK_RATE_LIMIT, flag: values.FLAG_RATE_LIMIT, editorialPosts: values.EDITORIAL_POST_LIMIT },
      interactions: values.INTERACTIONS,
      port: values.PORT ?? DEFAULT_PORT,
      healthPort: values.PORT ?? values.HEALTH_PORT,
      learnedRefreshMs: values.LEARNED_REFRESH_MS,
      publicKey: values.DISCORD_PUBLIC_KEY?.toLowerCase(),
      logLevel: values.LOG_LEVEL,
      logPretty: values.LOG_PRETTY === '1',
    };
  }
  const problems = new Map<string, ConfigProblem>();
  for (const issue of parsed.error?.issues ?? []) {
    const variable = String(issue.path[0]);
    if (problems.has(variable)) continue;
    problems.set(variable, { variable, message: describeProblem(variable, present[variable] === undefined, issue.message, present[variable]) });
  }
  if (publicKeyMissing && !problems.has('DISCORD_PUBLIC_KEY')) {
    problems.set('DISCORD_PUBLIC_KEY', {
      variable: 'DISCORD_PUBLIC_KEY',
      message: "DISCORD_PUBLIC_KEY is not set: INTERACTIONS=http needs the application's public key (Developer Portal, General Information)",
    });
  }
  const list = [...problems.values()];
  if (list.length === 1 && list[0]!.message === MISSING_TOKEN_LINE) list[0] = { variable: 'DISCORD_TOKEN', message: MISSING_TOKEN_HELP };
  throw new ConfigError(list);
}
