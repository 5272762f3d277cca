/**
 * Shutdown through the composition root (what SIGTERM runs): the interactions in flight finish, the editors'
 * channel posts still queued are sent (waiting a bounded time), and only then is the question store closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresQuestionStore } from '../../src/questions/postgres.js';
import { SqliteQuestionStore } from '../../src/questions/sqlite.js';
import type { QuestionStore } from '../../src/questions/store.js';
import { startTestBot, type TestBot } from '../support/bot-harness.js';
import { slashCommand } from '../support/interactions.js';
import { STORES_UNDER_TEST } from '../support/postgres.js';

const EDITORS_CHANNEL_ID = '1600000000000000001';
const OFF_TOPIC = 'What is the best pizza in Naples?';
let bot: TestBot | undefined;
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

const isEditorsPost = (request: { method: string; path: string }) => request.method === 'POST' && request.path === `/channels/${EDITORS_CHANNEL_ID}/messages`;

for (const store of STORES_UNDER_TEST) {
  (store.skip ? describe.skip : describe)(`shutdown on ${store.title}`, () => {
    let databaseUrl: string | undefined;
    /** The bot's DATABASE_URL (undefined: SQLite in its DATA_DIR); what it stored is removed after the test. */
    async function database(): Promise<string | undefined> {
      const opened = await store.open();
      cleanups.push(opened.cleanup);
      databaseUrl = opened.databaseUrl;
      return databaseUrl;
    }
    /** The stopped bot's store, opened again as the next start would. */
    async function reopen(): Promise<QuestionStore> {
      return databaseUrl ? PostgresQuestionStore.open(databaseUrl) : new SqliteQuestionStore(bot!.dataDir);
    }

    it("waits for a queued editors'-channel post before closing the store", async () => {
      bot = await startTestBot({ databaseUrl: await database(), reportToStore: true, editorialChannelId: EDITORS_CHANNEL_ID });
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
      const reopened = await reopen();
      try {
        expect((await reopened.get(1))?.editorsMessage?.channelId).toBe(EDITORS_CHANNEL_ID);
      } finally {
        await reopened.close();
      }
    });

    it('stops anyway once the grace period is over, and says what was left', async () => {
      bot = await startTestBot({ databaseUrl: await database(), reportToStore: true, editorialChannelId: EDITORS_CHANNEL_ID, postsGraceMs: 200 });
      const release = bot.fake.hold(isEditorsPost);
      await bot.send(slashCommand('ask', { question: OFF_TOPIC }));
      await bot.fake.waitForRequest(isEditorsPost);

      const started = performance.now();
      await bot.app.stop();
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(bot.logs.find((line) => line.event === 'editors_channel.unfinished')).toMatchObject({ pending: 1 });
      // The question itself was stored before the member was answered.
      const reopened = await reopen();
      try {
        expect(await reopened.get(1)).toMatchObject({ question: OFF_TOPIC, editorsMessage: null });
      } finally {
        await reopened.close();
      }
      release();
    });
  });
}
