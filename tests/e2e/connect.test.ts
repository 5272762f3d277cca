/**
 * The bot's connection at start against Discords that fail: a gateway that accepts the WebSocket and never says
 * HELLO (the fake Discord), a REST API that accepts TCP connections and never answers, a port nothing listens on.
 * The real app and discord.js client, with a short per-attempt timeout; every attempt is logged with the URL and the
 * cause, and the bot never waits silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { DiscordUnreachableError } from '../../src/discord/connect.js';
import { UsageError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { TEST_SETTINGS, TEST_TOKEN, sharedKnowledge } from '../support/bot-harness.js';
import { FakeDiscord } from '../support/fake-discord.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(apiUrl: string, connect: { attempts: number; timeoutMs: number }): Promise<{ app: Promise<App>; logs: Array<Record<string, unknown>> }> {
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vix-connect-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const app = startApp({
    ...TEST_SETTINGS,
    token: TEST_TOKEN,
    apiUrl,
    knowledge: await sharedKnowledge(),
    dataDir,
    logger,
    connect: { ...connect, firstRetryMs: 50, maxRetryMs: 100 },
  });
  // Stopped if it ever started.
  cleanups.push(async () => (await app.catch(() => null))?.stop());
  return { app, logs };
}

const failures = (logs: Array<Record<string, unknown>>) => logs.filter((line) => line.event === 'discord.connect_failed').map((line) => String(line.msg));

describe('connecting to Discord at start', () => {
  it('drops a gateway connection that never says HELLO after the attempt timeout, logs it, and is ready on the next connection', async () => {
    const fake = await FakeDiscord.start();
    cleanups.push(() => fake.close());
    fake.silentGatewayConnections = 1;
    const started = performance.now();
    const { app, logs } = await start(fake.apiUrl, { attempts: 3, timeoutMs: 1_000 });
    const ready = await app;
    expect(ready.bot.isReady()).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(failures(logs)).toEqual([
      expect.stringMatching(
        /^cannot connect to Discord \(attempt 1 of 3\): the Discord gateway at ws:\/\/127\.0\.0\.1:\d+ did not complete the handshake \(HELLO, IDENTIFY, READY\) within 1 s; the gateway connection is retried$/,
      ),
    ]);
    expect(fake.identifies).toHaveLength(1);
  });

  it('gives up on a gateway that never says HELLO after the last attempt, naming it', async () => {
    const fake = await FakeDiscord.start();
    cleanups.push(() => fake.close());
    fake.silentGatewayConnections = 100;
    const started = performance.now();
    const { app, logs } = await start(fake.apiUrl, { attempts: 2, timeoutMs: 500 });
    await expect(app).rejects.toThrow(
      /^cannot connect to Discord after 2 attempt\(s\): the Discord gateway at ws:\/\/127\.0\.0\.1:\d+ did not complete the handshake/,
    );
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(failures(logs)).toHaveLength(1);
    expect(fake.identifies).toEqual([]);
  });

  it('reports a REST API that accepts connections and never answers, within the timeout of each attempt, then gives up', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const apiUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/api`;
    const started = performance.now();
    const { app, logs } = await start(apiUrl, { attempts: 2, timeoutMs: 500 });
    const error = await app.then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(DiscordUnreachableError);
    expect((error as Error).message).toContain(`the Discord API at ${apiUrl}/v10/gateway/bot did not answer within 0.5 s`);
    expect((error as Error).message).toContain('Check DISCORD_API_URL');
    expect(failures(logs)).toHaveLength(1);
    expect(logs.some((line) => line.event === 'discord.unreachable')).toBe(true);
  });

  it('names the address that refused the connection', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { app, logs } = await start(`http://127.0.0.1:${port}/api`, { attempts: 2, timeoutMs: 500 });
    await expect(app).rejects.toThrow(`refused the connection (ECONNREFUSED 127.0.0.1:${port})`);
    expect(failures(logs)[0]).toContain(`the Discord API at http://127.0.0.1:${port}/api/v10/gateway/bot refused the connection`);
  });

  it('does not retry a token Discord refuses: a configuration problem (exit 2), said once', async () => {
    const refusing = http.createServer((_request, response) =>
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"401: Unauthorized","code":0}'),
    );
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => refusing.close(() => resolve())));
    const apiUrl = `http://127.0.0.1:${(refusing.address() as net.AddressInfo).port}/api`;
    const { app, logs } = await start(apiUrl, { attempts: 3, timeoutMs: 500 });
    const error = await app.catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      `Discord refused DISCORD_TOKEN (401 from ${apiUrl}/v10/gateway/bot): copy the bot token again from the Developer Portal (Bot, Reset Token)`,
    );
    expect(failures(logs)).toEqual([]);
  });

  it('names the host that was not found', async () => {
    const { app } = await start('http://no-such-host.invalid/api', { attempts: 1, timeoutMs: 2_000 });
    await expect(app).rejects.toThrow(/the host no-such-host\.invalid was not found \((ENOTFOUND|EAI_AGAIN)\)/);
  });
});
