/** `npm start` and `npm run register` as processes, against the fake Discord. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { MISSING_TOKEN_HELP } from '../../src/config.js';
import { DATABASE_FILE } from '../../src/questions/sqlite.js';
import { TEST_TOKEN } from '../support/bot-harness.js';
import { APPLICATION_ID, FakeDiscord } from '../support/fake-discord.js';
import { GUILD_ID, slashCommand } from '../support/interactions.js';
import { generateSigningKeys, postSigned } from '../support/signed-requests.js';

let fake: FakeDiscord;
let dataDir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dataDir = mkdtempSync(path.join(tmpdir(), 'vixshield-bot-'));
});

afterAll(async () => {
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Run {
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function run(script: string, env: Record<string, string | undefined>, args: string[] = []): Run {
  // The parent's DISCORD_* variables must not leak in; a .env in the project folder would not override these.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'info', DISCORD_TOKEN: '', DISCORD_GUILD_ID: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stdout: () => stdout,
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
  };
}

function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function logMessages(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
}

// Each test spawns Node processes: they run side by side to keep the suite fast.
describe.concurrent('processes', () => {
  it('npm start serves interactions and on SIGTERM shuts down cleanly with exit code 0', async ({ expect }) => {
    const bot = run('src/main.ts', { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: fake.apiUrl });
    await fake.waitForIdentify();
    await expect.poll(() => logMessages(bot.stderr()), { timeout: 10_000 }).toContain('bot ready');

    const interaction = slashCommand('ask', { question: 'What is the VIX?' });
    fake.dispatchInteraction(interaction.payload);
    const callback = await fake.waitForCallback(interaction.id);
    expect(callback.body.data.embeds[0].title).toBeTruthy();

    bot.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(logMessages(bot.stderr())).toEqual(expect.arrayContaining(['interaction', 'shutting down', 'stopped']));
    expect(bot.stderr()).not.toContain(TEST_TOKEN);
    expect(fake.connectedClients).toBe(0);
  }, 30_000);

  it('npm start with INTERACTIONS=http serves signed interactions on PORT, no gateway, and exits 0 on SIGTERM', async ({ expect }) => {
    const keys = generateSigningKeys();
    const bot = run('src/main.ts', {
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      INTERACTIONS: 'http',
      PORT: '0',
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    });
    const ready = () => logLines(bot.stderr()).find((line) => line.msg === 'interactions endpoint ready');
    // Several processes start side by side here: tsx compiling on a busy machine takes a while.
    await expect.poll(ready, { timeout: 40_000 }).toBeDefined();
    const url = `http://127.0.0.1:${ready()!.port as number}/interactions`;

    expect((await postSigned(url, { type: 1 }, keys.privateKey)).body).toEqual({ type: 1 });
    const answered = await postSigned(url, slashCommand('ask', { question: 'What is the VIX?' }).payload, keys.privateKey);
    expect(answered.body.data.embeds[0].title).toBeTruthy();
    // The operations endpoints on the same port; npm start adds Node's process metrics.
    const base = url.replace('/interactions', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^vixshield_interactions_total\{kind="command",command="ask",outcome="(answered|unanswered)"\} 1$/m);
    expect(metrics).toMatch(/^process_cpu_user_seconds_total \d/m);

    bot.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(logMessages(bot.stderr())).toEqual(expect.arrayContaining(['interaction', 'shutting down', 'stopped']));
    expect(logMessages(bot.stderr())).not.toContain('bot ready');
  }, 60_000);

  it('npm start stopped by SIGTERM while it still retries Discord exits 0 at once, saying so', async ({ expect }) => {
    // A port nothing listens on: every attempt to reach Discord is refused, and the bot retries with backoff.
    const closed = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const bot = run('src/main.ts', { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: `http://127.0.0.1:${port}` });
    await expect.poll(() => logLines(bot.stderr()).some((line) => line.event === 'discord.connect_failed'), { timeout: 40_000 }).toBe(true);

    const signalled = performance.now();
    bot.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(5_000);
    const lines = logLines(bot.stderr());
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM', during: 'start-up' }));
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
  }, 60_000);

  it('npm start without DISCORD_TOKEN explains how to get one and points at the CLI', async ({ expect }) => {
    const bot = run('src/main.ts', {});
    expect(await bot.exited).toBe(2);
    expect(bot.stderr()).toBe(`error: ${MISSING_TOKEN_HELP}\n`);
  });

  it('npm start names the DATA_DIR it cannot write (exit 2) and the database file it cannot open (exit 1), in one line each', async ({ expect }) => {
    const notAFolder = path.join(dataDir, 'a-file');
    writeFileSync(notAFolder, '');
    const underFile = path.join(notAFolder, 'data');
    const storeIsFolder = path.join(dataDir, 'store-is-a-folder');
    mkdirSync(path.join(storeIsFolder, DATABASE_FILE), { recursive: true });
    const env = { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: fake.apiUrl };
    const badDataDir = run('src/main.ts', { ...env, DATA_DIR: underFile });
    const badStore = run('src/main.ts', { ...env, DATA_DIR: storeIsFolder });
    expect(await badDataDir.exited).toBe(2);
    expect(badDataDir.stderr()).toMatch(
      new RegExp(`^error: DATA_DIR ${underFile} is not a folder the bot can write: ENOTDIR: .*Create it, or point DATA_DIR at a writable folder\\n$`),
    );
    expect(await badStore.exited).toBe(1);
    expect(badStore.stderr()).toMatch(
      new RegExp(
        `^error: cannot open the question store ${path.join(storeIsFolder, DATABASE_FILE)}: unable to open database file \\(SQLITE_CANTOPEN\\)\\. Check [^\\n]*\\n$`,
      ),
    );
  });

  it('npm start -- --help and npm run register -- --help print usage, exit 0, and neither connects nor registers', async ({ expect }) => {
    // A Discord of their own: the other processes here talk to the shared one at the same time.
    const own = await FakeDiscord.start();
    const env = { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: own.apiUrl, DISCORD_GUILD_ID: GUILD_ID };
    const start = run('src/main.ts', env, ['--help']);
    const register = run('src/cli/register.ts', env, ['-h']);
    expect(await start.exited).toBe(0);
    expect(await register.exited).toBe(0);
    expect(start.stdout()).toMatch(/^Usage: npm start/);
    expect(register.stdout()).toMatch(/^Usage: npm run register/);
    expect(start.stderr() + register.stderr()).toBe('');
    expect(own.requests).toEqual([]);
    await own.close();
  });

  it('an unknown option is a usage error (exit 2), and does not start the bot', async ({ expect }) => {
    const start = run('src/main.ts', { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: fake.apiUrl }, ['--verbose']);
    expect(await start.exited).toBe(2);
    expect(start.stderr()).toMatch(/^error: Unknown option '--verbose'.*\(see --help\)\n$/);
  });

  it('npm run register registers the commands in the guild, or globally', async ({ expect }) => {
    const inGuild = run('src/cli/register.ts', { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: GUILD_ID });
    const global = run('src/cli/register.ts', { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: fake.apiUrl });
    expect(await inGuild.exited).toBe(0);
    const shipped = commands.map((command) => command.definition.name);
    expect(inGuild.stdout()).toContain(`Registered ${shipped.length} commands in guild ${GUILD_ID}`);
    const put = await fake.waitForRequest(
      (request) => request.method === 'PUT' && request.path === `/applications/${APPLICATION_ID}/guilds/${GUILD_ID}/commands`,
    );
    expect(put.headers.authorization).toBe(`Bot ${TEST_TOKEN}`);
    const names = (put.body as Array<{ name: string }>).map((command) => command.name);
    expect(names).toEqual(shipped);
    const ask = (put.body as Array<{ name: string; options: Array<Record<string, unknown>> }>)[0]!;
    expect(ask.options[0]).toMatchObject({ name: 'question', type: 3, required: true, max_length: 1000 });

    expect(await global.exited).toBe(0);
    expect(global.stdout()).toContain('globally');
    expect(fake.registeredCommands.get('global')).toHaveLength(shipped.length);
  });
});
