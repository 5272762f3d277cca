import type { ExportRow } from './store.js';

export type ExportFormat = 'csv' | 'json';

const CSV_COLUMNS: Array<[header: string, value: (row: ExportRow) => string | number | null]> = [
  ['id', (row) => row.id],
  ['status', (row) => row.status],
  ['count', (row) => row.count],
  ['askers', (row) => row.askers],
  ['unanswered', (row) => row.unanswered],
  ['flagged', (row) => row.flagged],
  ['not_helpful', (row) => row.notHelpful],
  ['question', (row) => row.question],
  ['first_asked_at', (row) => row.firstAskedAt],
  ['last_asked_at', (row) => row.lastAskedAt],
  ['bot_answer', (row) => row.botAnswer],
  ['bot_confidence', (row) => row.botConfidence],
  ['resolved_article', (row) => row.resolvedArticle],
  ['resolved_by', (row) => row.resolvedBy],
  ['resolved_at', (row) => row.resolvedAt],
  ['notes', (row) => row.notes.join('\n')],
];

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled. Text typed by
 * members that starts like a spreadsheet formula (= + - @) gets a leading apostrophe so that opening the
 * export in a spreadsheet cannot run it.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function formatExport(rows: ExportRow[], format: ExportFormat): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const lines = [CSV_COLUMNS.map(([header]) => header).join(','), ...rows.map((row) => CSV_COLUMNS.map(([, value]) => csvField(value(row))).join(','))];
  // CRLF line ends, as RFC 4180 and spreadsheets expect.
  return `${lines.join('\r\n')}\r\n`;
}
