/**
 * Rows as both stores read them (sqlite.ts and postgres.ts): the question group's query, valid SQL for both, and
 * the mappings from rows to the store's plain data.
 */
import type { QuestionReport } from './sink.js';
import type { ExportRow, LearnedPhrasingRow, QuestionGroup, QuestionStatus } from './store.js';

export interface GroupRow {
  id: number;
  normalized: string;
  question: string;
  status: QuestionStatus;
  report_count: number;
  first_at: string;
  last_at: string;
  resolved_slug: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  editors_channel_id: string | null;
  editors_message_id: string | null;
}

export interface GroupDetailRow extends GroupRow {
  askers: number;
  unanswered: number;
  flagged: number;
  not_helpful: number;
  first_user_id: string;
  first_guild_id: string | null;
  first_channel_id: string | null;
  guess_slug: string | null;
  guess_kind: 'article' | 'glossary' | null;
  guess_title: string | null;
  guess_confidence: number | null;
  /** SQLite gives 0 or 1, PostgreSQL a boolean. */
  guess_answered: 0 | 1 | boolean | null;
}

/** Each group with its counts per kind, its first report and its latest answer or best guess; add WHERE/ORDER. */
export const GROUP_DETAIL_SELECT = `
  SELECT g.id, g.normalized, g.question, g.status, g.report_count, g.first_at, g.last_at, g.resolved_slug, g.resolved_by,
    g.resolved_at, g.editors_channel_id, g.editors_message_id,
    (SELECT COUNT(DISTINCT user_id) FROM question_reports r WHERE r.group_id = g.id) AS askers,
    (SELECT COUNT(*) FROM question_reports r WHERE r.group_id = g.id AND kind = 'unanswered') AS unanswered,
    (SELECT COUNT(*) FROM question_reports r WHERE r.group_id = g.id AND kind = 'flagged') AS flagged,
    (SELECT COUNT(*) FROM question_reports r WHERE r.group_id = g.id AND kind = 'not_helpful') AS not_helpful,
    f.user_id AS first_user_id, f.guild_id AS first_guild_id, f.channel_id AS first_channel_id,
    COALESCE(b.answered_slug, b.guess_slug) AS guess_slug,
    CASE WHEN b.answered_slug IS NOT NULL THEN b.answered_kind ELSE b.guess_kind END AS guess_kind,
    CASE WHEN b.answered_slug IS NOT NULL THEN NULL ELSE b.guess_title END AS guess_title,
    b.confidence AS guess_confidence,
    b.answered_slug IS NOT NULL AS guess_answered
  FROM question_groups g
  JOIN question_reports f ON f.id = (SELECT MIN(id) FROM question_reports r WHERE r.group_id = g.id)
  LEFT JOIN question_reports b ON b.id = (
    SELECT MAX(id) FROM question_reports r
    WHERE r.group_id = g.id AND (r.answered_slug IS NOT NULL OR r.guess_slug IS NOT NULL))`;

export function toGroup(row: GroupDetailRow): QuestionGroup {
  return {
    id: row.id,
    question: row.question,
    normalized: row.normalized,
    status: row.status,
    count: row.report_count,
    askers: row.askers,
    kinds: { unanswered: row.unanswered, flagged: row.flagged, not_helpful: row.not_helpful },
    firstAskedAt: row.first_at,
    lastAskedAt: row.last_at,
    firstUserId: row.first_user_id,
    firstGuildId: row.first_guild_id,
    firstChannelId: row.first_channel_id,
    latestGuess: row.guess_slug
      ? { slug: row.guess_slug, kind: row.guess_kind, title: row.guess_title, confidence: row.guess_confidence, answered: Boolean(row.guess_answered) }
      : null,
    resolvedSlug: row.resolved_slug,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    editorsMessage: row.editors_channel_id && row.editors_message_id ? { channelId: row.editors_channel_id, messageId: row.editors_message_id } : null,
  };
}

export interface LearnedRow {
  id: number;
  group_id: number;
  slug: string;
  text: string;
  resolved_by: string;
  created_at: string;
  exported_at: string | null;
}

export function toLearned(row: LearnedRow): LearnedPhrasingRow {
  return {
    id: row.id,
    slug: row.slug,
    text: row.text,
    groupId: row.group_id,
    resolvedBy: row.resolved_by,
    createdAt: row.created_at,
    exportedAt: row.exported_at,
  };
}

/** The columns of a stored report, in the order of reportValues. */
export const REPORT_COLUMNS =
  'group_id, kind, question, normalized, user_id, guild_id, channel_id, asked_at, answered_slug, answered_kind, confidence, guess_slug, guess_kind, guess_title, note, report_id';

/** A report's row in question_reports, as both stores write it (the text already capped, cleaned and keyed). */
export function reportValues(
  groupId: number,
  report: QuestionReport,
  stored: { question: string; normalized: string; at: string; note: string | null; reportId: string | null },
): unknown[] {
  return [
    groupId,
    report.kind,
    stored.question,
    stored.normalized,
    report.userId,
    report.guildId,
    report.channelId,
    stored.at,
    report.answeredSlug ?? null,
    report.answeredSlug ? (report.answeredKind ?? null) : null,
    report.confidence ?? report.bestGuess?.confidence ?? null,
    report.bestGuess?.slug ?? null,
    report.bestGuess?.kind ?? null,
    report.bestGuess?.title ?? null,
    stored.note,
    stored.reportId,
  ];
}

/** A group as a row of the editors' export, with its reports' distinct notes (first written first). */
export function toExportRow(group: QuestionGroup, notes: string[]): ExportRow {
  return {
    id: group.id,
    status: group.status,
    count: group.count,
    askers: group.askers,
    unanswered: group.kinds.unanswered,
    flagged: group.kinds.flagged,
    notHelpful: group.kinds.not_helpful,
    question: group.question,
    firstAskedAt: group.firstAskedAt,
    lastAskedAt: group.lastAskedAt,
    botAnswer: group.latestGuess?.slug ?? null,
    botConfidence: group.latestGuess?.confidence ?? null,
    resolvedArticle: group.resolvedSlug,
    resolvedBy: group.resolvedBy,
    resolvedAt: group.resolvedAt,
    notes,
  };
}
