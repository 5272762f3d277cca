import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDotEnv } from '../config.js';
import { formatExport, type ExportFormat } from '../questions/export.js';
import { PostgresQuestionStore } from '../questions/postgres.js';
import { DATABASE_FILE, SqliteQuestionStore } from '../questions/sqlite.js';
import { QUESTION_STATUSES, type QuestionStatus, type QuestionStore } from '../questions/store.js';
import { DEFAULT_DATA_DIR } from '../paths.js';
import { UsageError, runCli } from './common.js';

const HELP = `Usage: npm run questions -- export [--status open|answered|dismissed] [--format csv|json] [--output FILE] [--data DIR]

Exports the editors' queue (questions the bot could not answer, flagged answers, "not helpful" votes), one
row per question with its repeats counted, most asked first. Reads the store the bot uses: PostgreSQL when
DATABASE_URL is set (the environment or .env) and --data is not, else ${DATABASE_FILE} in --data DIR, else
DATA_DIR, else ./data. Writes to --output FILE, else to standard output, which then carries only the export
(npm itself prints a header there unless run with -s: npm run -s questions -- export > questions.csv).
`;

const FORMATS: readonly ExportFormat[] = ['csv', 'json'];

/** --data DIR, else DATA_DIR, else data/ in the project (the bot's default). */
export function dataDir(flag: string | undefined): string {
  return path.resolve(flag ?? (process.env.DATA_DIR || DEFAULT_DATA_DIR));
}

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      output: { type: 'string', short: 'o' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command !== 'export' || rest.length > 0) throw new UsageError(`unknown command "${positionals.join(' ')}"; try: npm run questions -- export --help`);
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
  } finally {
    await store.close();
  }
  return 0;
});

/** The bot's store: DATABASE_URL's PostgreSQL (its errors name the server, never the password), else the SQLite file. */
async function openStore(dataFlag: string | undefined): Promise<QuestionStore> {
  // The same .env as the bot's, so that the export reads the queue the bot writes.
  loadDotEnv();
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl && dataFlag === undefined) {
    // As the bot's configuration says it, without quoting the value (it may hold a password).
    if (!/^postgres(ql)?:\/\/\S+$/i.test(databaseUrl))
      throw new UsageError('DATABASE_URL is invalid: expected a PostgreSQL URL: postgres://USER:PASSWORD@HOST:5432/DATABASE');
    return PostgresQuestionStore.open(databaseUrl);
  }
  const dir = dataDir(dataFlag);
  if (!existsSync(path.join(dir, DATABASE_FILE))) {
    throw new UsageError(`no question database in ${dir} (set DATA_DIR or --data to the bot's data directory, or DATABASE_URL)`);
  }
  return new SqliteQuestionStore(dir, { mustExist: true });
}
