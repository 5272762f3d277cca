import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/log.js';
import { SqliteQuestionStore } from '../../src/questions/sqlite.js';
import type { Messenger, OutgoingMessage } from '../../src/discord/editorial/messenger.js';
import type { QuestionReport } from '../../src/questions/sink.js';

/** A temporary DATA_DIR and a real SQLite store in it, with a clock the test moves. */
export function tempStore(start = new Date('2026-03-02T10:00:00Z')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'vix-questions-'));
  const clock = { now: start.getTime() };
  const store = new SqliteQuestionStore(dir, { now: () => new Date(clock.now) });
  return {
    dir,
    store,
    clock,
    advance(ms: number) {
      clock.now += ms;
    },
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function unanswered(question: string, userId = 'u1', extra: Partial<QuestionReport> = {}): QuestionReport {
  return { kind: 'unanswered', question, userId, guildId: 'g1', channelId: 'c1', ...extra };
}

/** A pino logger whose JSON lines land in `lines`. */
export function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

export interface SentMessage {
  channelId: string;
  message: OutgoingMessage;
}

/** A Messenger that records what it sends; `failFor` makes sends to those channels or users fail. */
export function recordingMessenger(failFor: string[] = []) {
  const sent: SentMessage[] = [];
  const edits: Array<SentMessage & { messageId: string }> = [];
  const direct: Array<{ userId: string; message: OutgoingMessage }> = [];
  let nextId = 1000;
  const messenger: Messenger = {
    async send(channelId, message) {
      if (failFor.includes(channelId)) throw new Error('Missing Access');
      sent.push({ channelId, message });
      return { id: String(nextId++) };
    },
    async edit(channelId, messageId, message) {
      edits.push({ channelId, messageId, message });
    },
    async sendDirect(userId, message) {
      if (failFor.includes(userId)) throw new Error('Cannot send messages to this user');
      direct.push({ userId, message });
    },
  };
  return { messenger, sent, edits, direct };
}
