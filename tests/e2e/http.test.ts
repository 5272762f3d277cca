/**
 * The HTTP interactions endpoint (INTERACTIONS=http) of the real bot, built through src/app.ts, on 127.0.0.1 and a
 * free port: requests signed as Discord signs them with a generated Ed25519 key pair. The first response comes back
 * in the HTTP response; deferred answers are completed through the fake Discord's REST API.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { MAX_BODY_BYTES } from '../../src/discord/http.js';
import { MAX_AUTOCOMPLETE_CHOICES } from '../../src/discord/limits.js';
import { PASSED_TO_EDITORS } from '../../src/discord/render.js';
import { THANKS_PASSED_TO_EDITORS } from '../../src/discord/reporting.js';
import { EDITOR_PERMISSION, EDITORS_ONLY } from '../../src/discord/permissions.js';
import { ERROR_REPLY, SHUTTING_DOWN_REPLY } from '../../src/discord/router.js';
import type { Engine } from '../../src/engine/engine.js';
import { sharedKnowledge, startTestBot, type TestBot } from '../support/bot-harness.js';
import {
  autocomplete,
  botMessage,
  buttonClick,
  CHANNEL_ID,
  GUILD_ID,
  MEMBER_ID,
  modalSubmit,
  slashCommand,
  type SentInteraction,
} from '../support/interactions.js';
import { boom, slow, SLOW_MS } from '../support/test-commands.js';
import { generateSigningKeys, nowSeconds, post, postSigned, signatureOf, type EndpointResponse } from '../support/signed-requests.js';

const CALLBACK = { pong: 1, reply: 4, deferredReply: 5, autocomplete: 8, modal: 9 } as const;
const EPHEMERAL = 64;
const POLL = { timeout: 5_000 };

const keys = generateSigningKeys();
let bot: TestBot;
let engine: Engine;
let url: string;

beforeAll(async () => {
  engine = (await sharedKnowledge()).current();
  bot = await startTestBot({ interactions: 'http', publicKey: keys.publicKeyHex, commands: [...commands, slow, boom], deferAfterMs: 150 });
  url = `http://127.0.0.1:${bot.app.http!.port}/interactions`;
});

afterAll(async () => {
  await bot?.stop();
});

function send(interaction: SentInteraction): Promise<EndpointResponse> {
  return postSigned(url, interaction.payload, keys.privateKey);
}

/** Requests the bot made to the fake Discord about this interaction (callbacks and its webhook). */
function restCallsFor(interaction: SentInteraction) {
  return bot.fake.requests.filter((request) => request.path.includes(interaction.token) || request.path.includes(`/interactions/${interaction.id}/`));
}

function buttons(data: { components?: Array<{ components: Array<Record<string, string | number>> }> }) {
  return (data.components ?? []).flatMap((row) => row.components);
}

describe('signatures', () => {
  const ping = { type: 1, id: '1', application_id: '1', token: 'x', version: 1 };

  it('answers a signed PING with PONG', async () => {
    const response = await postSigned(url, ping, keys.privateKey);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ type: CALLBACK.pong });
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('refuses a tampered body (401)', async () => {
    const body = JSON.stringify(slashCommand('ask', { question: 'What is the VIX?' }).payload);
    const timestamp = nowSeconds();
    const signature = signatureOf(keys.privateKey, timestamp, body);
    const tampered = body.replace('What is the VIX?', 'What is the VIX!');
    const response = await post(url, tampered, { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp });
    expect(response.status).toBe(401);
    // The signature alone is good: the same request untampered passes.
    expect((await post(url, body, { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp })).status).toBe(200);
  });

  it('refuses a request signed with another key (401)', async () => {
    const other = generateSigningKeys();
    expect((await postSigned(url, ping, other.privateKey)).status).toBe(401);
  });

  it('refuses a stale or far-future timestamp (401), even correctly signed', async () => {
    const sixMinutes = 6 * 60;
    const old = String(Number(nowSeconds()) - sixMinutes);
    const future = String(Number(nowSeconds()) + sixMinutes);
    expect((await postSigned(url, ping, keys.privateKey, { timestamp: old })).status).toBe(401);
    expect((await postSigned(url, ping, keys.privateKey, { timestamp: future })).status).toBe(401);
    const recent = String(Number(nowSeconds()) - 60);
    expect((await postSigned(url, ping, keys.privateKey, { timestamp: recent })).status).toBe(200);
  });

  it('refuses a request missing either header (401)', async () => {
    const body = JSON.stringify(ping);
    const timestamp = nowSeconds();
    const signature = signatureOf(keys.privateKey, timestamp, body);
    expect((await post(url, body, {})).status).toBe(401);
    expect((await post(url, body, { 'x-signature-timestamp': timestamp })).status).toBe(401);
    expect((await post(url, body, { 'x-signature-ed25519': signature })).status).toBe(401);
  });

  it('refuses a malformed signature or timestamp (401) and keeps serving', async () => {
    const body = JSON.stringify(ping);
    const timestamp = nowSeconds();
    const signature = signatureOf(keys.privateKey, timestamp, body);
    for (const bad of ['zz'.repeat(64), signature.slice(0, 100), `${signature}00`, 'not hex at all']) {
      expect((await post(url, body, { 'x-signature-ed25519': bad, 'x-signature-timestamp': timestamp })).status, bad).toBe(401);
    }
    expect((await post(url, body, { 'x-signature-ed25519': signature, 'x-signature-timestamp': `${timestamp}.5` })).status).toBe(401);
    expect((await postSigned(url, ping, keys.privateKey)).status).toBe(200);
  });

  it('refuses a body over the limit (413), declared or streamed, and keeps serving', async () => {
    const big = JSON.stringify({ ...ping, padding: 'x'.repeat(MAX_BODY_BYTES) });
    const timestamp = nowSeconds();
    const response = await post(url, big, { 'x-signature-ed25519': signatureOf(keys.privateKey, timestamp, big), 'x-signature-timestamp': timestamp });
    expect(response.status).toBe(413);
    // Chunked, with no Content-Length: the limit holds while reading.
    const streamed = await new Promise<number>((resolve, reject) => {
      const request = http.request(url, { method: 'POST', headers: { 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': timestamp } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on('error', reject);
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += 16 * 1024) request.write('x'.repeat(16 * 1024));
      request.end();
    });
    expect(streamed).toBe(413);
    expect((await postSigned(url, ping, keys.privateKey)).status).toBe(200);
  });

  it('answers 400 to a signed body that is not an interaction, 404 and 405 elsewhere', async () => {
    const timestamp = nowSeconds();
    expect(
      (await post(url, '{not json', { 'x-signature-ed25519': signatureOf(keys.privateKey, timestamp, '{not json'), 'x-signature-timestamp': timestamp }))
        .status,
    ).toBe(400);
    expect((await postSigned(url, [1, 2], keys.privateKey)).status).toBe(400);
    expect((await postSigned(url, { type: 2, id: '1' }, keys.privateKey)).status).toBe(400);
    expect((await fetch(url.replace('/interactions', '/nowhere'))).status).toBe(404);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('interactions over HTTP', () => {
  it('/ask answered: the answer comes back in the HTTP response, with nothing sent through the REST callback', async () => {
    const question = 'How do I hedge with VIX calls?';
    const answer = engine.ask(question).answer!;
    const interaction = slashCommand('ask', { question });
    const response = await send(interaction);
    expect(response.status).toBe(200);
    expect(response.body.type).toBe(CALLBACK.reply);
    const data = response.body.data;
    expect(data.flags ?? 0).toBe(0);
    expect(data.content).toContain(question);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.embeds[0]).toMatchObject({ title: answer.title, url: answer.url, footer: { text: answer.disclaimer } });
    expect(buttons(data).map((button) => button.custom_id ?? button.url)).toEqual([
      answer.url,
      `vote:up:a:${answer.slug}`,
      `vote:down:a:${answer.slug}`,
      `flag:a:${answer.slug}`,
    ]);
    expect(restCallsFor(interaction)).toEqual([]);
    await expect
      .poll(() => bot.logs.find((line) => line.msg === 'interaction' && line.interactionId === interaction.id), POLL)
      .toMatchObject({
        kind: 'command',
        command: 'ask',
        outcome: 'answered',
        userId: MEMBER_ID,
        guildId: GUILD_ID,
        latencyMs: expect.any(Number),
      });
  });

  it('/ask unanswered: private, says so, and the question reaches the editors', async () => {
    const question = 'What is the best pizza in Naples?';
    const reports = bot.sink.reports.length;
    const response = await send(slashCommand('ask', { question }));
    expect(response.body.type).toBe(CALLBACK.reply);
    expect(response.body.data.flags).toBe(EPHEMERAL);
    expect(response.body.data.content).toContain("I don't have a confident answer");
    expect(response.body.data.content).toContain(PASSED_TO_EDITORS);
    expect(bot.sink.reports.slice(reports)).toEqual([
      expect.objectContaining({ kind: 'unanswered', question, userId: MEMBER_ID, guildId: GUILD_ID, channelId: CHANNEL_ID }),
    ]);
  });

  it('/glossary: the definition embed', async () => {
    const term = engine.kb.glossary.find((candidate) => candidate.related.length > 0)!;
    const response = await send(slashCommand('glossary', { term: term.slug }));
    expect(response.body.type).toBe(CALLBACK.reply);
    expect(response.body.data.embeds[0]).toMatchObject({ title: term.term, url: term.url, description: term.definition });
  });

  it('autocomplete: the choices, capped, whose values are glossary slugs', async () => {
    const response = await send(autocomplete('glossary', { term: 'vol' }, 'term'));
    expect(response.body.type).toBe(CALLBACK.autocomplete);
    const choices = response.body.data.choices as Array<{ name: string; value: string }>;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(MAX_AUTOCOMPLETE_CHOICES);
    for (const choice of choices) expect(engine.kb.glossaryBySlug.has(choice.value)).toBe(true);
  });

  it('buttons and modals: a glossary term opens privately; Flag opens the form; submitting it reaches the editors', async () => {
    const question = 'How do I hedge with VIX calls?';
    const slug = engine.ask(question).answer!.slug;
    const answered = await send(slashCommand('ask', { question }));
    const message = botMessage({ ...answered.body.data, flags: 0 });

    const term = engine.kb.glossary[0]!;
    const opened = await send(buttonClick(`term:${term.slug}`, message));
    expect(opened.body).toMatchObject({ type: CALLBACK.reply, data: { flags: EPHEMERAL, embeds: [{ title: term.term }] } });

    const modal = await send(buttonClick(`flag:a:${slug}`, message));
    expect(modal.body.type).toBe(CALLBACK.modal);
    expect(modal.body.data.custom_id).toBe(`flag-note:a:${slug}`);
    expect(modal.body.data.components[0].component).toMatchObject({ custom_id: 'question', value: question });

    const reports = bot.sink.reports.length;
    const submitted = await send(modalSubmit(`flag-note:a:${slug}`, { question, note: 'Say what the calls cost.' }, message));
    expect(submitted.body).toMatchObject({ type: CALLBACK.reply, data: { content: THANKS_PASSED_TO_EDITORS, flags: EPHEMERAL } });
    expect(bot.sink.reports.slice(reports)).toEqual([
      expect.objectContaining({ kind: 'flagged', question, note: 'Say what the calls cost.', answeredSlug: slug }),
    ]);
  });

  it('a slow handler: "thinking…" in the HTTP response, then the answer edited in through the REST API', async () => {
    const interaction = slashCommand('slow', {});
    const response = await send(interaction);
    expect(response.body).toEqual({ type: CALLBACK.deferredReply, data: {} });
    expect(response.ms).toBeLessThan(SLOW_MS);
    const edit = await bot.fake.waitForRequest((request) => request.method === 'PATCH' && request.path.includes(interaction.token));
    expect(edit.path).toBe(`/webhooks/${interaction.payload.application_id}/${interaction.token}/messages/@original`);
    expect(edit.body).toMatchObject({ content: 'done at last', allowed_mentions: { parse: [] } });
    // The first response went inline only: no callback through REST.
    expect(restCallsFor(interaction).map((request) => request.method)).toEqual(['PATCH']);
  });

  it('a slow private answer replaces the public "thinking…" with a private follow-up', async () => {
    const interaction = slashCommand('slow', { private: true });
    const response = await send(interaction);
    expect(response.body.type).toBe(CALLBACK.deferredReply);
    const followUp = await bot.fake.waitForRequest(
      (request) => request.method === 'POST' && request.path === `/webhooks/${interaction.payload.application_id}/${interaction.token}`,
    );
    expect(followUp.body).toMatchObject({ content: 'done at last', flags: EPHEMERAL });
    expect(bot.fake.webhookRequests(interaction.token).map((request) => request.method)).toEqual(['DELETE', 'POST']);
  });

  it('a failing handler: the private error reply, in the HTTP response', async () => {
    const response = await send(slashCommand('boom', {}));
    expect(response.body).toMatchObject({ type: CALLBACK.reply, data: { content: ERROR_REPLY, flags: EPHEMERAL } });
  });

  it('an interaction the bot does not serve (a select menu) gets a 400, and the bot keeps serving', async () => {
    const select = buttonClick('vote:up', botMessage({ content: 'x' }));
    (select.payload.data as Record<string, unknown>).component_type = 3;
    const response = await send(select);
    expect(response.status).toBe(400);
    await expect
      .poll(() => bot.logs.find((line) => line.msg === 'interaction' && line.interactionId === select.id), POLL)
      .toMatchObject({ outcome: 'ignored' });
    expect((await send(slashCommand('ask', { question: 'What is the VIX?' }))).body.type).toBe(CALLBACK.reply);
  });

  it('a signed payload missing its user gets the error reply, not a crash', async () => {
    const interaction = slashCommand('ask', { question: 'What is the VIX?' });
    delete interaction.payload.member;
    const response = await send(interaction);
    expect(response.body).toMatchObject({ type: CALLBACK.reply, data: { content: ERROR_REPLY, flags: EPHEMERAL } });
  });
});

describe('one code path for both transports', () => {
  it('the same interaction gives the same first response over the gateway and over HTTP', async () => {
    const gateway = await startTestBot();
    try {
      for (const make of [
        () => slashCommand('ask', { question: 'How do I hedge with VIX calls?' }),
        () => slashCommand('ask', { question: 'What is the best pizza in Naples?', private: true }),
        () => slashCommand('glossary', { term: 'iron condor' }),
        () => autocomplete('glossary', { term: 'iron' }, 'term'),
        () => buttonClick('flag', botMessage({ content: '> What is the best pizza in Naples?' })),
      ]) {
        const overGateway = await gateway.send(make());
        const overHttp = await send(make());
        expect(overHttp.body).toEqual(overGateway.body);
      }
    } finally {
      await gateway.stop();
    }
  });
});

/** A sample value for a required option of a shipped command, by its type and name. */
function sampleValue(option: { type: number; name: string }): string | boolean | number {
  if (option.type === 5) return false;
  if (option.type === 4) return 1;
  const byName: Record<string, string> = { question: 'What is an iron condor?', term: 'iron condor', article: engine.kb.articles[0]!.slug };
  return byName[option.name] ?? 'test';
}

/** As sent by a member who may Manage Messages: the editor commands check it in their handlers. */
function asEditor(interaction: SentInteraction): SentInteraction {
  const member = interaction.payload.member as { permissions: string };
  interaction.payload.member = { ...member, permissions: (BigInt(member.permissions) | EDITOR_PERMISSION).toString() };
  return interaction;
}

describe('every shipped command over both transports', () => {
  it('each command (and each autocomplete option), sent by an editor, gets the same kind of first response over HTTP as over the gateway, never the error reply', async () => {
    const gateway = await startTestBot();
    const served = new Set<string>();
    try {
      for (const module of commands) {
        const definition = module.definition as { name: string; options?: Array<{ type: number; name: string; required?: boolean; autocomplete?: boolean }> };
        const options = definition.options ?? [];
        const required = Object.fromEntries(options.filter((option) => option.required).map((option) => [option.name, sampleValue(option)]));
        const interactions = [() => asEditor(slashCommand(definition.name, required as Record<string, string>))];
        for (const option of options.filter((candidate) => candidate.autocomplete)) {
          interactions.push(() => asEditor(autocomplete(definition.name, { ...required, [option.name]: 'iron' } as Record<string, string>, option.name)));
        }
        for (const make of interactions) {
          const overGateway = await gateway.send(make());
          const overHttp = await send(make());
          const what = `/${definition.name}`;
          expect(overHttp.status, what).toBe(200);
          type FirstResponse = { type: number; data?: { flags?: number; content?: string } };
          const viaHttp = overHttp.body as FirstResponse;
          const viaGateway = overGateway.body as FirstResponse;
          expect(viaHttp.type, what).toBe(viaGateway.type);
          expect(viaHttp.data?.flags, what).toBe(viaGateway.data?.flags);
          expect(viaHttp.data?.content ?? '', what).not.toBe(ERROR_REPLY);
          expect(viaGateway.data?.content ?? '', what).not.toBe(ERROR_REPLY);
          expect(viaHttp.data?.content ?? '', what).not.toBe(EDITORS_ONLY);
          served.add(definition.name);
        }
      }
      expect([...served].sort()).toEqual(commands.map((module) => module.definition.name).sort());
    } finally {
      await gateway.stop();
    }
  });
});

describe('shutdown', () => {
  it('finishes the interactions in flight, refuses new ones politely, then closes the port', async () => {
    const own = await startTestBot({ interactions: 'http', publicKey: keys.publicKeyHex, commands: [...commands, slow], deferAfterMs: 5_000 });
    const ownUrl = `http://127.0.0.1:${own.app.http!.port}/interactions`;
    const inFlight = postSigned(ownUrl, slashCommand('slow', {}).payload, keys.privateKey);
    await expect.poll(() => own.bot.router.inFlightCount, POLL).toBe(1);
    const stopped = own.bot.stop();
    const late = await postSigned(ownUrl, slashCommand('ask', { question: 'What is the VIX?' }).payload, keys.privateKey);
    expect(late.body.data).toMatchObject({ content: SHUTTING_DOWN_REPLY, flags: EPHEMERAL });
    expect((await inFlight).body.data.content).toBe('done at last');
    await stopped;
    await expect(fetch(ownUrl, { method: 'POST' })).rejects.toThrow();
    await own.stop();
  });
});
