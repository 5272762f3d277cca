/**
 * Shutdown through the composition root (what SIGTERM runs): the interactions in flight finish, the editors'
 * channel posts still queued are sent (waiting a bounded time), and only then is the question store closed.
 */
import { afterEach, expect, it } from 'vitest';
import { SqliteQuestionStore } from '../../src/questions/sqlite.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { slashCommand } from '../support/interactions.js';

const EDITORS_CHANNEL_ID = '1600000000000000001';
const OFF_TOPIC = 'What is the best pizza in Naples?';
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const isEditorsPost = (request: { method: string; path: string }) => request.method === 'POST' && request.path === `/channels/${EDITORS_CHANNEL_ID}/messages`;

it("waits for a queued editors'-channel post before closing the store", async () => {
  bot = await startTestBot({ reportToStore: true, editorialChannelId: EDITORS_CHANNEL_ID });
  const release = bot.fake.hold(isEditorsPost);
  await bot.send(slashCommand('ask', { question: OFF_TOPIC }));
  await bot.fake.waitForRequest(isEditorsPost);

  let stopped = false;
  const stopping = bot.app.stop().then(() => (stopped = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(stopped).toBe(false);
  expect(bot.fake.connectedClients).toBe(0);

  release();
  await stopping;
  // The post went out and its message id reached the store before it was closed.
  const reopened = new SqliteQuestionStore(bot.dataDir);
  try {
    expect((await reopened.get(1))?.editorsMessage?.channelId).toBe(EDITORS_CHANNEL_ID);
  } finally {
    reopened.close();
  }
});

it('stops anyway once the grace period is over, and says what was left', async () => {
  bot = await startTestBot({ reportToStore: true, editorialChannelId: EDITORS_CHANNEL_ID, postsGraceMs: 200 });
  const release = bot.fake.hold(isEditorsPost);
  await bot.send(slashCommand('ask', { question: OFF_TOPIC }));
  await bot.fake.waitForRequest(isEditorsPost);

  const started = performance.now();
  await bot.app.stop();
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(bot.logs.find((line) => line.event === 'editors_channel.unfinished')).toMatchObject({ pending: 1 });
  // The question itself was stored before the member was answered.
  const reopened = new SqliteQuestionStore(bot.dataDir);
  try {
    expect(await reopened.get(1)).toMatchObject({ question: OFF_TOPIC, editorsMessage: null });
  } finally {
    reopened.close();
  }
  release();
});
