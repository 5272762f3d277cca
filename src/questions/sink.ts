/**
 * Where questions for the editors go. The Discord layer only knows this interface; the store behind it (SQLite
 * by default) lives in src/questions/. "Write before you reply": callers await `report` before telling the member
 * that the question was passed on.
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

export interface QuestionSink {
  report(report: QuestionReport): Promise<ReportOutcome>;
}
