import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../config.js';
import { formatIssue } from '../knowledge/read.js';
import { formatExport, type ExportFormat } from '../questions/export.js';
import { exportLearned, formatLearned } from '../questions/learned-export.js';
import { REJECTED_FILE, SPOOL_FILE } from '../questions/outbox.js';
import { PostgresQuestionStore } from '../questions/postgres.js';
import { DATABASE_FILE, SqliteQuestionStore } from '../questions/sqlite.js';
import { QUESTION_STATUSES, type QuestionStatus, type QuestionStore } from '../questions/store.js';
import { DEFAULT_DATA_DIR } from '../paths.js';
import { UsageError, knowledgeDir, runCli } from './common.js';

const HELP = `Usage: npm run questions -- export [--status open|answered|dismissed] [--format csv|json] [--output FILE] [--data DIR]
       npm run questions -- learned [--write] [--knowledge DIR] [--data DIR]

export: the editors' queue (questions the bot could not answer, flagged answers, "not helpful" votes), one
row per question with its repeats counted, most asked first. Writes to --output FILE, else to standard output,
which then carries only the export (npm itself prints a header there unless run with -s:
npm run -s questions -- export > questions.csv).

learned: the phrasings editors' resolves taught the bot and not yet exported, per article (text, who resolved,
when). --write appends them to the articles' asked: lists in the knowledge folder (--knowledge DIR, else
KNOWLEDGE_DIR, else knowledge/) and marks them exported, so a second run writes nothing new; review the change
with git diff, then /reload the bot.

Both read the store the bot uses: PostgreSQL when DATABASE_URL is set (the environment or .env) and --data is
not, else ${DATABASE_FILE} in --data DIR, else DATA_DIR, else ./data. export also says on stderr when that data
directory holds reports the bot took while the store was failing (its spool, not yet in the store) or reports
the store refused (set aside).
`;

const FORMATS: readonly ExportFormat[] = ['csv', 'json'];

/** --data DIR, else DATA_DIR, else data/ in the project (the bot's default). */
export function dataDir(flag: string | undefined): string {
  return path.resolve(flag ?? (process.env.DATA_DIR || DEFAULT_DATA_DIR));
}

/** The bot's store: DATABASE_URL's PostgreSQL (its errors name the server, never the password), else the SQLite file. */
async function openStore(dataFlag: string | undefined): Promise<QuestionStore> {
  // The same .env as the bot's, so that the CLI reads the queue the bot writes.
  loadDotEnv();
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl && dataFlag === undefined) {
    // As the bot's configuration says it, without quoting the value (it may hold a password).
    if (!/^postgres(ql)?:\/\/\S+$/i.test(databaseUrl)) {
      throw new UsageError('DATABASE_URL is invalid: expected a PostgreSQL URL: postgres://USER:PASSWORD@HOST:5432/DATABASE');
    }
    return PostgresQuestionStore.open(databaseUrl);
  }
  const dir = dataDir(dataFlag);
  if (!existsSync(path.join(dir, DATABASE_FILE))) {
    throw new UsageError(`no question database in ${dir} (set DATA_DIR or --data to the bot's data directory, or DATABASE_URL)`);
  }
  return new SqliteQuestionStore(dir, { mustExist: true });
}

/** Lines of a spool file, 0 when there is none. */
function reportLines(file: string): number {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0).length;
  } catch {
    return 0;
  }
}

/**
 * What the export cannot show: reports a bot with this data directory spooled while the store failed (replayed
 * when it answers again; the file goes once all are stored) and reports the store refused. Said, not silently left out.
 */
function spoolNotes(dir: string): string[] {
  const notes: string[] = [];
  const spooled = reportLines(path.join(dir, SPOOL_FILE));
  if (spooled > 0) {
    notes.push(
      `note: ${path.join(dir, SPOOL_FILE)} holds ${spooled} report(s) the bot took while the question store was failing; those it has not replayed yet are not in this export (it replays them once the store answers)`,
    );
  }
  const rejected = reportLines(path.join(dir, REJECTED_FILE));
  if (rejected > 0) {
    notes.push(
      `note: ${path.join(dir, REJECTED_FILE)} holds ${rejected} report(s) the question store refused; they are not in this export (README, Operations)`,
    );
  }
  return notes;
}

async function learned(dataFlag: string | undefined, knowledge: string, write: boolean): Promise<number> {
  const store = await openStore(dataFlag);
  try {
    const result = await exportLearned({ store, knowledgeDir: knowledge, write });
    if (result.articles.length === 0 && result.issues.length > 0) {
      process.stderr.write(`error: the knowledge folder has ${result.issues.length} problem(s); fix them first (npm run validate):\n`);
      for (const issue of result.issues.slice(0, 20)) process.stderr.write(`  ${formatIssue(issue)}\n`);
      return 3;
    }
    process.stdout.write(formatLearned(result, write));
    if (result.issues.length > 0) {
      process.stderr.write(`error: the knowledge folder does not validate after writing:\n`);
      for (const issue of result.issues.slice(0, 20)) process.stderr.write(`  ${formatIssue(issue)}\n`);
      return 1;
    }
    return result.articles.some((article) => article.problem !== undefined) && write ? 1 : 0;
  } finally {
    await store.close();
  }
}

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      output: { type: 'string', short: 'o' },
      data: { type: 'string' },
      write: { type: 'boolean', default: false },
      knowledge: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [command, ...rest] = positionals;
  if ((command !== 'export' && command !== 'learned') || rest.length > 0) {
    throw new UsageError(`unknown command "${positionals.join(' ')}"; try: npm run questions -- --help`);
  }
  if (command === 'learned') return learned(values.data, knowledgeDir(values.knowledge), values.write);
  if (values.write || values.knowledge !== undefined) throw new UsageError('--write and --knowledge go with the learned command');
  const status = values.status as QuestionStatus | undefined;
  if (status !== undefined && !QUESTION_STATUSES.includes(status)) throw new UsageError(`--status must be one of ${QUESTION_STATUSES.join(', ')}`);
  const format = values.format as ExportFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be csv or json`);

  const store = await openStore(values.data);
  try {
    const rows = await store.exportRows({ status });
    const text = formatExport(rows, format);
    if (values.output) {
      writeFileSync(values.output, text);
      process.stderr.write(`${rows.length} question(s) written to ${path.resolve(values.output)}\n`);
    } else {
      process.stdout.write(text);
    }
    for (const note of spoolNotes(dataDir(values.data))) process.stderr.write(`${note}\n`);
  } finally {
    await store.close();
  }
  return 0;
});
