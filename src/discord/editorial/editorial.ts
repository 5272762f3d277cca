/**
 * The editors' loop, assembled: question store, member rate limits, the editors' channel, notifications, and the
 * reporter handlers hand questions to. Built once by the composition root (src/app.ts) from plain settings.
 */
import type { Logger } from 'pino';
import type { Engine } from '../../engine/engine.js';
import type { KnowledgeService } from '../../engine/service.js';
import { LearnedPhrasings } from '../../questions/learned.js';
import { MemberRateLimits, type MemberRateLimitSettings, type RateLimitCounter } from '../../questions/rate-limit.js';
import type { AskLog, AskRecord, QuestionStore } from '../../questions/store.js';
import { EditorsChannel } from './editors-channel.js';
import type { Messenger } from './messenger.js';
import type { NotifyMode } from './notify.js';
import { slugLookup } from './render.js';
import { EditorialReporter, type ReporterOutboxSettings } from './reporter.js';

/** The editors' loop as handlers see it (BotContext.editorial). */
export interface Editorial {
  store: QuestionStore;
  /** Counts every /ask for /kb-stats; never throws (stats must not cost a member their answer). */
  asks: AskLog;
  limits: MemberRateLimits;
  /** null when EDITORIAL_CHANNEL_ID is not set. */
  editorsChannel: EditorsChannel | null;
  messenger: Messenger;
  notify: NotifyMode;
  /** EDITOR_ROLE_ID: members with one of these roles are editors, as are those who can Manage Messages. */
  editorRoleIds: readonly string[];
  /** The store's learned phrasings served by the engine; null when built without the knowledge service. */
  learned: LearnedPhrasings | null;
}

export interface EditorialSettings {
  editorialChannelId: string | undefined;
  notifyAskers: NotifyMode;
  rateLimits: MemberRateLimitSettings;
  /** Where members' hits are counted; in this process unless given (PostgreSQL's, shared by the replicas). */
  rateLimitCounter?: RateLimitCounter;
  /** Roles whose members are editors besides those who can Manage Messages (EDITOR_ROLE_ID); none unless given. */
  editorRoleIds?: readonly string[];
  /** Where reports wait while the store fails (spool file, queue bound, timeout, retry); memory only unless given. */
  outbox?: ReporterOutboxSettings;
}

/** Builds the editors' loop around a store; `messenger` is how it writes to Discord (restMessenger in production). */
export function createEditorial(options: {
  settings: EditorialSettings;
  store: QuestionStore;
  logger: Logger;
  engine: () => Engine;
  messenger: Messenger;
  /** The service whose engine learns from resolves (src/app.ts gives it). */
  knowledge?: KnowledgeService;
}): {
  editorial: Editorial;
  reporter: EditorialReporter;
} {
  const { settings, store, logger, messenger } = options;
  const limits = new MemberRateLimits(settings.rateLimits, {
    counter: settings.rateLimitCounter,
    onError: (error) => logger.warn({ event: 'rate_limit.check_failed', err: error }, 'could not check a rate limit; the member was let through'),
  });
  const editorsChannel = settings.editorialChannelId
    ? new EditorsChannel({ channelId: settings.editorialChannelId, messenger, store, limits, logger, lookup: () => slugLookup(options.engine()) })
    : null;
  const reporter = new EditorialReporter(store, logger, editorsChannel, settings.outbox);
  const asks: AskLog = {
    async recordAsk(ask: AskRecord) {
      // While the store fails, /ask does not wait on it for a stats row (a locked SQLite file waits on the event loop).
      if (reporter.outbox.storeHealth.state === 'failing') return;
      try {
        await store.recordAsk(ask);
      } catch (error) {
        logger.warn({ event: 'ask.record_failed', err: error }, 'could not record an ask for the stats');
      }
    },
  };
  const learned = options.knowledge ? new LearnedPhrasings(store, options.knowledge, logger) : null;
  const editorial: Editorial = {
    store,
    asks,
    limits,
    editorsChannel,
    messenger,
    notify: settings.notifyAskers,
    learned,
    editorRoleIds: settings.editorRoleIds ?? [],
  };
  return { editorial, reporter };
}
