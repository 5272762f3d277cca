/** The QuestionSink handlers report to: the store (or, while it fails, the outbox's queue), a log event, the editors' channel. */
import type { Logger } from 'pino';
import { ReportOutbox, type OutboxOptions, type SpooledReport } from '../../questions/outbox.js';
import type { QuestionReport, QuestionSink, ReportReceipt } from '../../questions/sink.js';
import type { AskLog, AskRecord, QuestionStore, StoredReportOutcome } from '../../questions/store.js';
import type { EditorsChannel } from './editors-channel.js';

export type ReporterOutboxSettings = Pick<OutboxOptions, 'spoolFile' | 'maxQueued' | 'storeTimeoutMs' | 'retry' | 'isRejected'>;

/**
 * The QuestionSink the Discord handlers get: stores the report (durably, before the member is told) or, when the
 * store fails or is slow, queues it for replay (outbox.ts); once stored, emits the `question.<kind>` log event for
 * log pipelines and hands new questions and repeats to the editors' channel.
 */
export class EditorialReporter implements QuestionSink, AskLog {
  readonly outbox: ReportOutbox;

  constructor(
    private readonly store: QuestionStore,
    private readonly logger: Logger,
    private readonly editorsChannel: EditorsChannel | null = null,
    outbox: ReporterOutboxSettings = { spoolFile: null },
  ) {
    this.outbox = new ReportOutbox({
      ...outbox,
      logger,
      write: (report, identity) => store.report(report, identity),
      onStored: (entry, outcome, replayed) => this.afterStored(entry, outcome, replayed),
    });
  }

  /** Rejects (ReportNotRecordedError) only when neither the store nor the queue nor the spool could take it. */
  async report(report: QuestionReport): Promise<ReportReceipt> {
    const submitted = await this.outbox.submit(report);
    if ('stored' in submitted) return submitted.stored;
    return { queued: true, reportId: submitted.queued.id };
  }

  recordAsk(ask: AskRecord): Promise<void> {
    return this.store.recordAsk(ask);
  }

  private afterStored(entry: SpooledReport, stored: StoredReportOutcome, replayed: boolean): void {
    const { report } = entry;
    // A replay of a write that went through although it timed out: the store has it, the editors' channel may not.
    const outcome = stored.alreadyStored ? { ...stored, duplicate: false } : stored;
    this.logger.info(
      {
        event: `question.${report.kind}`,
        reportId: entry.id,
        replayed,
        questionId: outcome.questionId,
        isNew: outcome.isNew,
        count: outcome.count,
        duplicate: outcome.duplicate,
        reopened: outcome.reopened,
        userId: report.userId,
        guildId: report.guildId,
        channelId: report.channelId,
        question: report.question,
        answeredSlug: report.answeredSlug ?? null,
        confidence: report.confidence ?? null,
        note: report.note ?? null,
      },
      `question ${report.kind}`,
    );
    this.editorsChannel?.afterReport(outcome, report.userId);
  }
}
