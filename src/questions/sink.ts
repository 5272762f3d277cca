/**
 * Where questions for the editors go. The Discord layer only knows this interface; the store behind it (SQLite
 * by default) lives in src/questions/. "Write before you reply": callers await `report` before telling the member
 * what became of the question: stored (the editors have it), queued (the store is failing; the report waits in
 * the spool and reaches the editors when the store works again), or, when it rejects, not recorded at all.
 */
export type QuestionKind = 'unanswered' | 'flagged' | 'not_helpful';

export interface QuestionReport {
  kind: QuestionKind;
  /** The member's text as typed (the store caps and cleans it). */
  question: string;
  userId: string;
  guildId: string | null;
  channelId: string | null;
  /** What the bot answered, if anything. */
  answeredSlug?: string | null;
  answeredKind?: 'article' | 'glossary' | null;
  confidence?: number | null;
  /** When the bot did not answer: its top result, shown to the editors as the bot's best guess. */
  bestGuess?: { kind: 'article' | 'glossary'; slug: string; title: string; confidence?: number | null } | null;
  /** The member's note (flags). */
  note?: string | null;
}

export interface ReportOutcome {
  /** Id of the question group (repeats of the same normalised question share it). */
  questionId: number;
  /** True when this report opened a new group: the editors' channel gets a post; repeats only update the count. */
  isNew: boolean;
  count: number;
}

/** The store could not take the report now; it waits in the spool (see outbox.ts) and is stored once it can be. */
export interface QueuedReport {
  queued: true;
  reportId: string;
}

/** What the member can be told: stored, or queued for the store. */
export type ReportReceipt = ReportOutcome | QueuedReport;

export function isQueued(receipt: ReportReceipt): receipt is QueuedReport {
  return 'queued' in receipt;
}

export interface QuestionSink {
  /** Rejects when the report could not be recorded anywhere (store failing, queue full, spool unwritable). */
  report(report: QuestionReport): Promise<ReportReceipt>;
}
