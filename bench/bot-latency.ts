/**
 * `npm run bench:bot [-- --count N] [--json]`: the bot's own latency over N /ask interactions (default 1,000), sent
 * one at a time. The bot runs as `npm start` does (src/main.ts, SQLite question store, JSON logs) in its own
 * process, against the local fake Discord of the end-to-end tests running here. Two clocks:
 * - gateway -> callback (fake's clock): from writing INTERACTION_CREATE to the WebSocket to the arrival of the
 *   interaction callback POST: everything the bot does (parse, route, answer, store, render, HTTP), plus loopback.
 * - router (bot's clock): `latencyMs` of the bot's log line, from the interactionCreate event to Discord's
 *   acknowledgement of the callback.
 * Reports are on disk before the bot replies, so the disk's fsync time counts: `--store-dir DIR` puts the
 * question store on another disk (default: the system's temporary folder; /dev/shm shows the bot without it).
 * `--database-url postgres://...` runs the bot on PostgreSQL instead, in a schema of its own that is dropped after.
 * Target: p99 < 20 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PROJECT_ROOT } from '../src/cli/common.js';
import { loadEngine } from '../src/engine/engine.js';
import { TEST_TOKEN } from '../tests/support/bot-harness.js';
import { FakeDiscord } from '../tests/support/fake-discord.js';
import { slashCommand } from '../tests/support/interactions.js';
import { generateQuestions } from './questions.js';
import { summarize, type Timing } from './random.js';
import { markdownTable } from './report.js';

const TARGET_P99_MS = 20;
const WARMUP = 50;

interface LogLine {
  msg: string;
  outcome?: string;
  latencyMs?: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
      'store-dir': { type: 'string', default: os.tmpdir() },
      'database-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      [
        'Usage: npm run bench:bot -- [--count N] [--json] [--store-dir DIR] [--database-url postgres://...]',
        '',
        'Sends N /ask interactions (default 1000), one at a time, to the bot running as npm start does, against the local',
        'fake Discord, and prints its latency (p50, p99, mean, max; target p99 < 20 ms).',
        '  --store-dir      where the SQLite question store lives (default: the system temporary folder)',
        '  --database-url   run the bot on this PostgreSQL instead, in a schema of its own that is dropped after',
        '  --json           one JSON document on stdout instead of the table',
        '',
      ].join('\n'),
    );
    return;
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive whole number, not ${values.count}`);

  const knowledgeDir = path.join(PROJECT_ROOT, 'knowledge');
  const questions = generateQuestions((await loadEngine(knowledgeDir)).kb, WARMUP + count).map((question) => question.text);
  const fake = await FakeDiscord.start();
  const dataDir = mkdtempSync(path.join(values['store-dir'], 'vixshield-bench-'));
  const databaseUrl = values['database-url'];
  const schema = `bench_${process.pid}`;
  const admin = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
  if (admin) {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  }
  const separator = databaseUrl?.includes('?') ? '&' : '?';
  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      KNOWLEDGE_DIR: knowledgeDir,
      ASK_RATE_LIMIT: 'off',
      ...(databaseUrl ? { DATABASE_URL: `${databaseUrl}${separator}options=-c%20search_path%3D${schema}` } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: LogLine[] = [];
  let pending = '';
  bot.stderr.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
  });
  const exited = new Promise<number | null>((resolve) => bot.on('exit', resolve));

  try {
    await Promise.race([fake.waitForIdentify(), exited.then((code) => Promise.reject(new Error(`the bot exited with code ${code} before connecting`)))]);
    const endToEnd: number[] = [];
    for (const [i, question] of questions.entries()) {
      const interaction = slashCommand('ask', { question });
      const sentAt = fake.dispatchInteraction(interaction.payload);
      const callback = await fake.waitForCallback(interaction.id);
      if (i >= WARMUP) endToEnd.push(callback.at - sentAt);
    }
    bot.kill('SIGTERM');
    await exited;

    const interactions = logs.filter((line) => line.msg === 'interaction').slice(WARMUP);
    const outcomes: Record<string, number> = {};
    for (const line of interactions) outcomes[line.outcome ?? 'none'] = (outcomes[line.outcome ?? 'none'] ?? 0) + 1;
    const gateway = summarize(endToEnd);
    const result = {
      date: new Date().toISOString().slice(0, 10),
      node: process.version,
      cores: os.cpus().length,
      loadAverage: os.loadavg()[0]!.toFixed(2),
      interactions: count,
      store: databaseUrl ? 'PostgreSQL' : `SQLite in ${values['store-dir']}`,
      outcomes,
      gatewayToCallbackMs: gateway,
      routerMs: summarize(interactions.map((line) => line.latencyMs ?? 0)),
      targetP99Ms: TARGET_P99_MS,
      met: gateway.p99 < TARGET_P99_MS,
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const row = (name: string, timing: Timing) => [name, timing.p50.toFixed(2), timing.p99.toFixed(2), timing.mean.toFixed(2), timing.max.toFixed(2)];
    process.stdout.write(
      [
        `Bot latency: ${count} /ask interactions against the local fake Discord, question store ${result.store}; ${result.date}, Node ${result.node}, ${result.cores} cores, load average ${result.loadAverage}`,
        `outcomes: ${Object.entries(outcomes)
          .map(([outcome, n]) => `${outcome} ${n}`)
          .join(', ')}`,
        '',
        markdownTable(
          ['clock', 'p50 ms', 'p99 ms', 'mean ms', 'max ms'],
          [row('gateway -> callback', result.gatewayToCallbackMs), row('router (bot log)', result.routerMs)],
        ),
        '',
        `target p99 < ${TARGET_P99_MS} ms: ${result.met ? 'met' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
  } finally {
    if (bot.exitCode === null) bot.kill('SIGKILL');
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (admin) {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
