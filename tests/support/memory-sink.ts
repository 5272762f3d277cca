import type { QuestionReport, QuestionSink, ReportOutcome } from '../../src/questions/sink.js';

/** Keeps reports in an array; repeats of the same text share a group, like the real store. */
export class MemoryQuestionSink implements QuestionSink {
  readonly reports: QuestionReport[] = [];
  private readonly groups = new Map<string, number>();

  async report(report: QuestionReport): Promise<ReportOutcome> {
    this.reports.push(report);
    const key = report.question.trim().toLowerCase();
    const isNew = !this.groups.has(key);
    if (isNew) this.groups.set(key, this.groups.size + 1);
    return { questionId: this.groups.get(key)!, isNew, count: this.reports.filter((r) => r.question.trim().toLowerCase() === key).length };
  }
}
