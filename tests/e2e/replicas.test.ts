/**
 * Two replicas: two real bot processes (npm start, INTERACTIONS=http) on one PostgreSQL and one fake Discord.
 * Members ask and flag through both at once; nothing is lost or counted twice, each new question is posted once
 * to the editors' channel, a member's flag limit holds across both, and either replica lists the one queue.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { groupKey } from '../../src/questions/normalize.js';
import { PostgresQuestionStore, describeDatabaseUrl } from '../../src/questions/postgres.js';
import { TEST_TOKEN } from '../support/bot-harness.js';
import { FakeDiscord } from '../support/fake-discord.js';
import { slashCommand, type SentInteraction } from '../support/interactions.js';
import { POSTGRES_SKIPPED, POSTGRES_URL, dropSchema, testSchemaName, urlWithSchema, withSchema } from '../support/postgres.js';
import { generateSigningKeys, postSigned, type EndpointResponse } from '../support/signed-requests.js';

const EDITORS_CHANNEL_ID = '1300000000000000099';
const CALLBACK = { reply: 4, deferredReply: 5 } as const;

/** Questions the knowledge base does not answer (checked by the test: each is stored as unanswered). */
const QUESTIONS = ['Who won the 1998 football world cup?', 'What is the capital of Mongolia?', 'How do I bake sourdough bread?'];

interface Replica {
  url: string;
  exited: Promise<number | null>;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The replica's interactions endpoint once it is ready; tsx compiling two processes at once takes a while. */
async function endpointOf(replica: Replica, timeoutMs = 45_000): Promise<string> {
  let exited = false;
  void replica.exited.then(() => (exited = true));
  for (const started = Date.now(); Date.now() - started < timeoutMs && !exited;) {
    const ready = logLines(replica.stderr()).find((line) => line.msg === 'interactions endpoint ready');
    if (ready) return `http://127.0.0.1:${ready.port as number}/interactions`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`replica not ready (${exited ? 'exited' : 'timed out'}):\n${replica.stderr()}`);
}

const describePostgres = POSTGRES_URL ? describe : describe.skip;

describePostgres(POSTGRES_URL ? 'two replicas on one PostgreSQL' : `two replicas (${POSTGRES_SKIPPED})`, () => {
  const keys = generateSigningKeys();
  const schema = POSTGRES_URL ? testSchemaName() : '';
  const PASSWORD = 'replica-s3cret';
  /** The schema in the URL, as an operator may give it, and a password (the test server's trust auth ignores it). */
  function databaseUrl(): string {
    const url = new URL(urlWithSchema(schema));
    url.password = PASSWORD;
    return url.toString();
  }
  let fake: FakeDiscord;
  let dataDir: string;
  let replicas: Replica[] = [];

  function startReplica(): Replica {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        DISCORD_TOKEN: TEST_TOKEN,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_GUILD_ID: '',
        INTERACTIONS: 'http',
        PORT: '0',
        DISCORD_PUBLIC_KEY: keys.publicKeyHex,
        DATABASE_URL: databaseUrl(),
        DATA_DIR: dataDir,
        EDITORIAL_CHANNEL_ID: EDITORS_CHANNEL_ID,
        ASK_RATE_LIMIT: 'off',
        FLAG_RATE_LIMIT: '3/1h',
        EDITORIAL_POST_LIMIT: 'off',
        LOG_LEVEL: 'info',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return {
      url: '',
      exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
      stderr: () => stderr,
      kill: (signal) => child.kill(signal),
    };
  }

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    dataDir = mkdtempSync(path.join(tmpdir(), 'vix-replicas-'));
    await withSchema(schema, (client) => client.query(`CREATE SCHEMA "${schema}"`));
    replicas = [startReplica(), startReplica()];
    for (const replica of replicas) replica.url = await endpointOf(replica);
  }, 90_000);

  afterAll(async () => {
    for (const replica of replicas) replica.kill('SIGTERM');
    await Promise.all(replicas.map((replica) => replica.exited));
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  });

  /** The interaction as sent by `userId`, an editor if asked. */
  function by(userId: string, interaction: SentInteraction, editor = false): SentInteraction {
    const member = interaction.payload.member as { user: object; permissions: string };
    const permissions = editor ? (BigInt(member.permissions) | PermissionFlagsBits.ManageMessages).toString() : member.permissions;
    interaction.payload.member = { ...member, user: { ...member.user, id: userId }, permissions };
    return interaction;
  }

  /** What the member sees: the inline reply, or the deferred reply completed through the REST API. */
  async function send(replica: Replica, interaction: SentInteraction): Promise<string> {
    const response: EndpointResponse = await postSigned(replica.url, interaction.payload, keys.privateKey);
    expect(response.status).toBe(200);
    if (response.body.type === CALLBACK.reply) return JSON.stringify(response.body.data);
    expect(response.body.type).toBe(CALLBACK.deferredReply);
    const completed = await fake.waitForRequest((request) => request.path.includes(`/webhooks/`) && request.path.includes(interaction.token), 20_000);
    return JSON.stringify(completed.body);
  }

  it('loses and doubles no question when members ask and flag through both at once', async () => {
    const members = ['1500000000000000001', '1500000000000000002', '1500000000000000003', '1500000000000000004'];
    // Every member sends every question, through alternate replicas, half as /ask and half as /flag, all at once.
    const sends = QUESTIONS.flatMap((question, q) =>
      members.map((member, m) => {
        const interaction = (m + q) % 2 ? slashCommand('flag', { question: question.toUpperCase() }) : slashCommand('ask', { question });
        return send(replicas[(m + q) % 2]!, by(member, interaction));
      }),
    );
    const replies = await Promise.all(sends);
    expect(replies.filter((reply) => reply.includes('Slow down'))).toEqual([]);

    const store = await PostgresQuestionStore.open(databaseUrl());
    try {
      const groups = await store.list({});
      expect(groups.map((group) => group.normalized).sort()).toEqual(QUESTIONS.map(groupKey).sort());
      for (const group of groups) {
        expect(group).toMatchObject({ status: 'open', count: members.length, askers: members.length, kinds: { unanswered: 2, flagged: 2, not_helpful: 0 } });
      }
      // One editors'-channel post per question, from whichever replica created it, and every group knows its post.
      await expect.poll(async () => (await store.list({})).filter((group) => group.editorsMessage !== null).length, { timeout: 10_000 }).toBe(QUESTIONS.length);
      const posts = fake.requests.filter((request) => request.method === 'POST' && request.path === `/channels/${EDITORS_CHANNEL_ID}/messages`);
      expect(posts).toHaveLength(QUESTIONS.length);
    } finally {
      await store.close();
    }
  }, 60_000);

  it("holds a member's flag limit across both replicas, and shows one queue through either", async () => {
    const member = '1500000000000000009';
    const flags = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => send(replicas[i % 2]!, by(member, slashCommand('flag', { question: `Why is the sky blue, part ${i}?` })))),
    );
    // FLAG_RATE_LIMIT=3/1h: three pass, whichever replica each went through.
    expect(flags.filter((reply) => reply.includes('Slow down'))).toHaveLength(2);

    for (const replica of replicas) {
      const listed = await send(replica, by('1500000000000000010', slashCommand('unanswered', { status: 'open' }), true));
      for (const question of QUESTIONS) expect(listed.toLowerCase()).toContain(question.toLowerCase().replace('?', ''));
    }
  }, 60_000);

  it('stops both replicas cleanly (exit 0), never logging the database password', async () => {
    for (const replica of replicas) replica.kill('SIGTERM');
    expect(await Promise.all(replicas.map((replica) => replica.exited))).toEqual([0, 0]);
    for (const replica of replicas) {
      const opened = logLines(replica.stderr()).find((line) => line.msg === 'question store open');
      expect(opened).toMatchObject({ backend: 'postgres', location: describeDatabaseUrl(POSTGRES_URL!) });
      expect(replica.stderr()).not.toContain(PASSWORD);
    }
  }, 30_000);
});
