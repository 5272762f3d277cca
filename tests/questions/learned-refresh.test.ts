/**
 * Replicas sharing a question store pick up each other's learned phrasings at the periodic refresh: two bots'
 * worth of store connections and knowledge services on one real SQLite file.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { KnowledgeService } from '../../src/engine/service.js';
import { LearnedPhrasings } from '../../src/questions/learned.js';
import { SqliteQuestionStore } from '../../src/questions/sqlite.js';
import { FIXTURE_KB } from '../fixtures/kb.js';
import { memoryLogger, tempStore, unanswered } from './helpers.js';

const CONDOR = 'what-is-an-iron-condor';
const SLANG = 'four wing range trade with short strikes when volatility is rich';

let env: ReturnType<typeof tempStore>;
let replicaStore: SqliteQuestionStore;
let refresher: LearnedPhrasings | undefined;
beforeEach(() => {
  env = tempStore();
  replicaStore = new SqliteQuestionStore(env.dir);
});
afterEach(() => {
  refresher?.stop();
  replicaStore.close();
  env.cleanup();
});

it("applies another replica's learns at the next refresh, and its unlearns", async () => {
  const replica = await KnowledgeService.load(FIXTURE_KB);
  const { logger } = memoryLogger();
  refresher = new LearnedPhrasings(replicaStore, replica, logger);
  await refresher.sync({ force: true });
  refresher.start(20);
  expect(replica.current().ask(SLANG).status).toBe('unanswered');

  // The other replica: its own connection, its resolve.
  const { questionId } = await env.store.report(unanswered(SLANG));
  await env.store.learn(questionId, CONDOR, 'editor-1');
  await expect.poll(() => replica.current().ask(SLANG).answer?.slug ?? null, { timeout: 2_000 }).toBe(CONDOR);

  await env.store.unlearn(questionId);
  await expect.poll(() => replica.current().ask(SLANG).status, { timeout: 2_000 }).toBe('unanswered');
});

it('logs the phrasings of articles the knowledge base does not have, once', async () => {
  const service = await KnowledgeService.load(FIXTURE_KB);
  const { logger, lines } = memoryLogger();
  refresher = new LearnedPhrasings(env.store, service, logger);
  const { questionId } = await env.store.report(unanswered(SLANG));
  await env.store.learn(questionId, 'an-article-since-removed', 'editor-1');
  expect(await refresher.sync()).toEqual({ applied: 0, dropped: [{ slug: 'an-article-since-removed', text: SLANG }] });
  await refresher.sync({ force: true });
  expect(lines.filter((line) => line.event === 'learned.dropped')).toEqual([
    expect.objectContaining({ phrasings: [{ slug: 'an-article-since-removed', text: SLANG }] }),
  ]);
});

it('never lets a slow read undo what a later one applied', async () => {
  const service = await KnowledgeService.load(FIXTURE_KB);
  const { logger } = memoryLogger();
  const { questionId } = await env.store.report(unanswered(SLANG));
  // A store whose first read answers last, with what it saw before the learn: as a busy server database may.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let reads = 0;
  const slowFirst = new Proxy(env.store, {
    get(target, property, receiver) {
      if (property !== 'learnedPhrasings') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<typeof target.learnedPhrasings>) => {
        const rows = await target.learnedPhrasings(...args);
        if (++reads === 1) await held;
        return rows;
      };
    },
  });
  refresher = new LearnedPhrasings(slowFirst, service, logger);
  const periodic = refresher.sync();
  await env.store.learn(questionId, CONDOR, 'editor-1');
  await refresher.sync({ force: true });
  expect(service.current().ask(SLANG).answer?.slug).toBe(CONDOR);
  release();
  await periodic;
  expect(service.current().ask(SLANG).answer?.slug).toBe(CONDOR);
});
