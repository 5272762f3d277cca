import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_NOTIFIED_ASKERS, notifyAskers, type NotifyMode } from '../../src/discord/editorial/notify.js';
import { memoryLogger, recordingMessenger, tempStore, unanswered } from '../questions/helpers.js';

const article = { title: 'Iron condors', url: 'https://vixshield.example/iron-condors' };
let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(() => env.cleanup());

async function groupAskedBy(askers: Array<[user: string, channel: string | null]>) {
  let id = 0;
  for (const [user, channel] of askers) id = (await env.store.report(unanswered('How do iron condors work?', user, { channelId: channel }))).questionId;
  return { group: (await env.store.get(id))!, askers: await env.store.askers(id) };
}

async function notify(mode: NotifyMode, askersOf: Awaited<ReturnType<typeof groupAskedBy>>, failFor: string[] = []) {
  const recorder = recordingMessenger(failFor);
  const { logger, lines } = memoryLogger();
  const outcome = await notifyAskers({ mode, messenger: recorder.messenger, group: askersOf.group, askers: askersOf.askers, article, logger });
  return { ...recorder, outcome, lines };
}

describe('notifyAskers', () => {
  it('sends nothing when off', async () => {
    const result = await notify('off', await groupAskedBy([['u1', 'c1']]));
    expect(result.outcome).toEqual({ notified: 0, failed: 0, skipped: 1 });
    expect([...result.sent, ...result.direct]).toEqual([]);
  });

  it('DMs each asker once; closed DMs are counted and logged', async () => {
    const result = await notify(
      'dm',
      await groupAskedBy([
        ['u1', 'c1'],
        ['u2', 'c1'],
        ['u3', 'c2'],
      ]),
      ['u2'],
    );
    expect(result.direct.map((dm) => dm.userId)).toEqual(['u1', 'u3']);
    expect(result.direct[0]?.message.content).toBe(
      'Hello! You asked in the server: the editors have added an answer to the question “How do iron condors work?”: **Iron condors** https://vixshield.example/iron-condors',
    );
    expect(result.outcome).toEqual({ notified: 2, failed: 1, skipped: 0 });
    expect(result.lines.filter((line) => line.event === 'question.notify_failed')).toHaveLength(1);
  });

  it('replies once per channel, pinging only the askers there', async () => {
    const result = await notify(
      'reply',
      await groupAskedBy([
        ['u1', 'c1'],
        ['u2', 'c1'],
        ['u3', 'c2'],
        ['u4', null],
      ]),
    );
    expect(result.sent.map((post) => [post.channelId, post.message.mentionUserIds])).toEqual([
      ['c1', ['u1', 'u2']],
      ['c2', ['u3']],
    ]);
    expect(result.sent[0]?.message.content).toMatch(/^<@u1> <@u2> the editors have added an answer/);
    expect(result.outcome).toEqual({ notified: 3, failed: 0, skipped: 1 });
  });

  it(`tells at most ${MAX_NOTIFIED_ASKERS} members`, async () => {
    const many = Array.from({ length: MAX_NOTIFIED_ASKERS + 5 }, (_, i): [string, string] => [`u${i}`, 'c1']);
    const result = await notify('dm', await groupAskedBy(many));
    expect(result.outcome).toEqual({ notified: MAX_NOTIFIED_ASKERS, failed: 0, skipped: 5 });
  });
});
