/** The QuestionSink handlers report to: the store first, then a log event, then the editors' channel. */
import type { Logger } from 'pino';
import type { QuestionReport, QuestionSink } from '../../questions/sink.js';
import type { AskLog, AskRecord, QuestionStore, StoredReportOutcome } from '../../questions/store.js';
import type { EditorsChannel } from './editors-channel.js';

/**
 * The QuestionSink the Discord handlers get: stores the report (durably, before the member is told), emits the
 * `question.<kind>` log event for log pipelines, and hands new questions and repeats to the editors' channel.
 */
export class EditorialReporter implements QuestionSink, AskLog {
  constructor(
    private readonly store: QuestionStore,
    private readonly logger: Logger,
    private readonly editorsChannel: EditorsChannel | null = null,
  ) {}

  async report(report: QuestionReport): Promise<StoredReportOutcome> {
    const outcome = await this.store.report(report);
    this.logger.info(
      {
        event: `question.${report.kind}`,
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
    return outcome;
  }

  recordAsk(ask: AskRecord): Promise<void> {
    return this.store.recordAsk(ask);
  }
}
