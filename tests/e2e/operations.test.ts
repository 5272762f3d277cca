/**
 * GET /healthz, /readyz and /metrics of the real bot (src/app.ts): next to POST /interactions with INTERACTIONS=http,
 * and on HEALTH_PORT with the gateway. /metrics is scraped and parsed as Prometheus text.
 */
import { ApplicationCommandOptionType } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { defineCommand } from '../../src/discord/command.js';
import { NOTED_FOR_EDITORS } from '../../src/discord/render.js';
import type { Engine } from '../../src/engine/engine.js';
import { sharedKnowledge, startTestBot, type TestBot } from '../support/bot-harness.js';
import { autocomplete, slashCommand } from '../support/interactions.js';
import { generateSigningKeys, postSigned } from '../support/signed-requests.js';

const POLL = { timeout: 5_000 };
const keys = generateSigningKeys();

const slow = defineCommand({
  definition: {
    name: 'slow',
    description: 'Answers late',
    options: [{ type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Answer privately' }],
  },
  async execute() {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { type: 'message', content: 'done at last' };
  },
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition format: the samples, and each metric's declared type. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name!, type!);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1]!, label[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, types };
}

async function scrape(base: string): Promise<{ samples: Sample[]; types: Map<string, string>; contentType: string | null }> {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  return { ...parsePrometheus(await response.text()), contentType: response.headers.get('content-type') };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))?.value;
}

let engine: Engine;
beforeAll(async () => {
  engine = (await sharedKnowledge()).current();
});

describe('with INTERACTIONS=http, on the interactions port', () => {
  let bot: TestBot;
  let base: string;

  beforeAll(async () => {
    bot = await startTestBot({ interactions: 'http', publicKey: keys.publicKeyHex });
    base = `http://127.0.0.1:${bot.app.http!.port}`;
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('GET /healthz: 200', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz: 200 when the knowledge base is loaded, the store answers and the endpoint listens', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', store: { state: 'ok' }, queue: { reports: 0, spoolBytes: 0 } });
  });

  it('GET /metrics: interactions by command and outcome, latency, unanswered questions, knowledge-base size, store errors', async () => {
    const url = `${base}/interactions`;
    await postSigned(url, slashCommand('ask', { question: 'How do I hedge with VIX calls?' }).payload, keys.privateKey);
    await postSigned(url, slashCommand('ask', { question: 'How do I hedge with VIX calls?' }).payload, keys.privateKey);
    await postSigned(url, slashCommand('ask', { question: 'What is the best pizza in Naples?' }).payload, keys.privateKey);
    await postSigned(url, autocomplete('glossary', { term: 'vol' }, 'term').payload, keys.privateKey);
    await postSigned(url, slashCommand('no-such-command', {}).payload, keys.privateKey);

    const { samples, types, contentType } = await scrape(base);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(types.get('vixshield_interactions_total')).toBe('counter');
    expect(types.get('vixshield_interaction_latency_seconds')).toBe('histogram');
    expect(value(samples, 'vixshield_interactions_total', { kind: 'command', command: 'ask', outcome: 'answered' })).toBe(2);
    expect(value(samples, 'vixshield_interactions_total', { kind: 'command', command: 'ask', outcome: 'unanswered' })).toBe(1);
    expect(value(samples, 'vixshield_interactions_total', { kind: 'autocomplete', command: 'glossary', outcome: 'autocomplete' })).toBe(1);
    // A name the bot does not serve is counted under "unknown", so labels stay bounded.
    expect(value(samples, 'vixshield_interactions_total', { kind: 'command', command: 'unknown', outcome: 'unknown' })).toBe(1);
    expect(samples.some((sample) => sample.labels.command === 'no-such-command')).toBe(false);
    expect(value(samples, 'vixshield_interaction_latency_seconds_count', { kind: 'command' })).toBe(4);
    expect(value(samples, 'vixshield_interaction_latency_seconds_bucket', { kind: 'command', le: '+Inf' })).toBe(4);
    expect(value(samples, 'vixshield_unanswered_questions_total')).toBe(1);
    expect(value(samples, 'vixshield_knowledge_articles')).toBe(engine.kb.articles.length);
    expect(value(samples, 'vixshield_knowledge_passages')).toBe(engine.kb.articles.reduce((sum, article) => sum + article.passages.length, 0));
    expect(value(samples, 'vixshield_knowledge_glossary_terms')).toBe(engine.kb.glossary.length);
    expect(engine.kb.articles.length).toBeGreaterThan(0);
    expect(types.get('vixshield_store_errors_total')).toBe('counter');
    expect(samples.filter((sample) => sample.name === 'vixshield_store_errors_total')).toEqual([]);
  });

  it('other methods and paths: 405 and 404', async () => {
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/metrics/`)).status).toBe(404);
  });
});

describe('when the bot cannot serve', () => {
  // Answers come from memory, so a failing store leaves the bot serving: 200, "degraded", with the store's state.
  it('GET /readyz: 200 "degraded" when the store does not answer; the report is spooled, the member told, the failures counted', async () => {
    const bot = await startTestBot({ interactions: 'http', publicKey: keys.publicKeyHex, reportToStore: true });
    try {
      const base = `http://127.0.0.1:${bot.app.http!.port}`;
      bot.app.store.close();
      const response = await fetch(`${base}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'degraded', degraded: ['question store not answering'], store: { state: 'ok' } });
      // An unanswered /ask cannot be stored now: it is spooled, and the member hears that the editors will see it.
      const reply = await postSigned(`${base}/interactions`, slashCommand('ask', { question: 'What is the best pizza in Naples?' }).payload, keys.privateKey);
      expect(reply.body.data.flags).toBe(64);
      expect(reply.body.data.content).toContain(NOTED_FOR_EDITORS);
      const ready = (await (await fetch(`${base}/readyz`)).json()) as { status: string; store: { state: string; since: string }; queue: { reports: number } };
      expect(ready).toMatchObject({ status: 'degraded', store: { state: 'failing' }, queue: { reports: 1 } });
      const { samples } = await scrape(base);
      expect(value(samples, 'vixshield_store_errors_total', { operation: 'get' })).toBe(1);
      expect(value(samples, 'vixshield_store_errors_total', { operation: 'report' })).toBe(1);
      expect(value(samples, 'vixshield_interactions_total', { command: 'ask', outcome: 'unanswered' })).toBe(1);
      expect(value(samples, 'vixshield_store_up')).toBe(0);
      expect(value(samples, 'vixshield_store_failing_since_seconds')).toBe(Date.parse(ready.store.since) / 1000);
      expect(value(samples, 'vixshield_report_queue_length')).toBe(1);
      expect(value(samples, 'vixshield_report_spool_bytes')).toBeGreaterThan(0);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  });

  it('GET /readyz: 503 while shutting down (draining), so a load balancer stops sending', async () => {
    const bot = await startTestBot({ interactions: 'http', publicKey: keys.publicKeyHex, commands: [...commands, slow], deferAfterMs: 5_000 });
    const base = `http://127.0.0.1:${bot.app.http!.port}`;
    const inFlight = postSigned(`${base}/interactions`, slashCommand('slow', {}).payload, keys.privateKey);
    await expect.poll(() => bot.bot.router.inFlightCount, POLL).toBe(1);
    const stopped = bot.bot.stop();
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'not ready', reasons: ['interactions endpoint not ready'] });
    await inFlight;
    await stopped;
    await bot.stop();
  });
});

describe('with the gateway, on HEALTH_PORT', () => {
  it('serves /healthz, /readyz and /metrics; /readyz is 503 once the gateway is stopping', async () => {
    const bot = await startTestBot({ healthPort: 0, commands: [...commands, slow], deferAfterMs: 5_000 });
    try {
      const base = `http://127.0.0.1:${bot.app.http!.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      // No interactions endpoint on the gateway's operations port.
      expect((await fetch(`${base}/interactions`, { method: 'POST' })).status).toBe(404);

      await bot.send(slashCommand('ask', { question: 'How do I hedge with VIX calls?' }));
      await expect
        .poll(async () => value((await scrape(base)).samples, 'vixshield_interactions_total', { kind: 'command', command: 'ask', outcome: 'answered' }), POLL)
        .toBe(1);

      bot.fake.dispatchInteraction(slashCommand('slow', {}).payload);
      await expect.poll(() => bot.bot.router.inFlightCount, POLL).toBe(1);
      const stopping = bot.bot.stop();
      const response = await fetch(`${base}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'not ready', reasons: ['gateway not ready'] });
      await stopping;
    } finally {
      await bot.stop();
    }
  });

  it('opens no port without HEALTH_PORT', async () => {
    const bot = await startTestBot();
    try {
      expect(bot.app.http).toBeUndefined();
    } finally {
      await bot.stop();
    }
  });
});
