/**
 * The real bot on PostgreSQL while the database cannot be reached (the connection to it is cut, as a restart, a
 * failover or a network fault would): members keep their answers, are told their reports are noted, the reports
 * wait in the spool, and each reaches the database once when it is back. The database sits behind a TCP proxy
 * the test cuts and restores; the server itself is never touched.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTED_FOR_EDITORS, PASSED_TO_EDITORS } from '../../src/discord/render.js';
import { SPOOL_FILE } from '../../src/questions/outbox.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { slashCommand, type SentInteraction } from '../support/interactions.js';
import { POSTGRES_SKIPPED, POSTGRES_URL, dropSchema, testSchemaName, urlWithSchema, withSchema } from '../support/postgres.js';

const POLL = { timeout: 10_000, interval: 50 };

/** A TCP proxy to the test database that can be cut (every connection dropped, new ones refused) and restored. */
class CuttableProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server?.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

function asMember(interaction: SentInteraction, userId: string): SentInteraction {
  const member = interaction.payload.member as { user: Record<string, unknown> };
  return { ...interaction, payload: { ...interaction.payload, member: { ...member, user: { ...member.user, id: userId } } } };
}

const describePostgres = POSTGRES_URL ? describe : describe.skip;

describePostgres(POSTGRES_URL ? 'the PostgreSQL store out of reach' : `the PostgreSQL store out of reach (${POSTGRES_SKIPPED})`, () => {
  const schema = POSTGRES_URL ? testSchemaName() : '';
  let proxy: CuttableProxy;
  let bot: TestBot | undefined;

  beforeAll(async () => {
    const target = new URL(POSTGRES_URL!);
    proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    await withSchema(schema, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  });

  afterAll(async () => {
    await bot?.stop();
    await proxy?.cut();
    if (schema) await dropSchema(schema);
  });

  it('answers, notes the reports in the spool, and stores each once when the database is back', async () => {
    const url = new URL(urlWithSchema(schema));
    url.port = String(proxy.port);
    bot = await startTestBot({ databaseUrl: url.toString(), reportToStore: true, reportOutbox: { retry: { firstMs: 100, maxMs: 400 } } });

    await proxy.cut();
    const question = 'What is the best pizza in Naples?';
    for (const member of ['m1', 'm2']) {
      const reply = await bot.send(asMember(slashCommand('ask', { question }), member));
      expect(reply.body.data.content).toContain(NOTED_FOR_EDITORS);
    }
    // Answers need nothing from the store.
    const answered = await bot.send(asMember(slashCommand('ask', { question: 'What is the VIX?' }), 'm9'));
    expect(answered.body.data.embeds[0].title).toBeTruthy();
    await expect.poll(() => bot!.logs.some((line) => line.event === 'store.retry_failed'), POLL).toBe(true);
    // Waiting in this replica's spool, in DATA_DIR, in the order the members sent them.
    const spooled = readFileSync(path.join(bot.dataDir, SPOOL_FILE), 'utf8').trim().split('\n');
    expect(spooled.map((line) => (JSON.parse(line) as { report: { userId: string } }).report.userId)).toEqual(['m1', 'm2']);

    await proxy.open();
    await expect.poll(() => bot!.logs.some((line) => line.event === 'store.recovered'), POLL).toBe(true);
    await expect.poll(async () => (await bot!.editorial.store.list({}))[0]?.count, POLL).toBe(2);
    expect((await bot.editorial.store.list({})).map((group) => [group.question, group.askers])).toEqual([[question, 2]]);
    // Once it is back, reports go straight to the database again.
    const reply = await bot.send(asMember(slashCommand('ask', { question }), 'm3'));
    expect(reply.body.data.content).toContain(PASSED_TO_EDITORS);
    expect((await bot.editorial.store.list({}))[0]?.count).toBe(3);
  }, 40_000);
});
