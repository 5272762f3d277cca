import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { csvField } from '../../src/questions/export.js';
import { REJECTED_FILE, SPOOL_FILE } from '../../src/questions/outbox.js';
import { POSTGRES_SKIPPED, POSTGRES_URL, urlWithSchema } from '../support/postgres.js';
import { postgresBackend, type StoreEnv } from './backends.js';
import { tempStore, unanswered } from './helpers.js';

const run = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, 'src', 'cli', 'questions.ts');

function questionsCli(args: string[], dataDir: string, databaseUrl = '') {
  return run(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'debug' },
  });
}

let env: ReturnType<typeof tempStore>;
beforeAll(async () => {
  env = tempStore();
  for (const user of ['u1', 'u2']) await env.store.report(unanswered('What is "VIX", really?', user));
  await env.store.report(unanswered('=HYPERLINK("http://evil")', 'u3'));
  await env.store.report({
    kind: 'flagged',
    question: 'Is VIX tradable?',
    userId: 'u4',
    guildId: 'g',
    channelId: 'c',
    answeredSlug: 'vix-etps',
    answeredKind: 'article',
    confidence: 0.7,
    note: 'line one\nline two, with comma',
  });
  const dismissed = await env.store.report(unanswered('hello bot', 'u5'));
  await env.store.setStatus(dismissed.questionId, { status: 'dismissed', editorId: 'ed' });
  // The CLI opens the file while the bot (this store) still has it open, as in production.
});
afterAll(() => env.cleanup());

describe('npm run questions -- export', () => {
  it('writes only CSV to stdout, most asked first, escaped', async () => {
    const { stdout, stderr } = await questionsCli(['export', '--status', 'open'], env.dir);
    expect(stderr).toBe('');
    const lines = stdout.split('\r\n');
    expect(lines[0]).toBe(
      'id,status,count,askers,unanswered,flagged,not_helpful,question,first_asked_at,last_asked_at,bot_answer,bot_confidence,resolved_article,resolved_by,resolved_at,notes',
    );
    expect(lines[1]).toBe('1,open,2,2,2,0,0,"What is ""VIX"", really?",2026-03-02T10:00:00.000Z,2026-03-02T10:00:00.000Z,,,,,,');
    expect(lines[2]).toBe(`2,open,1,1,1,0,0,"'=HYPERLINK(""http://evil"")",2026-03-02T10:00:00.000Z,2026-03-02T10:00:00.000Z,,,,,,`);
    expect(lines[3]).toBe(
      '3,open,1,1,0,1,0,Is VIX tradable?,2026-03-02T10:00:00.000Z,2026-03-02T10:00:00.000Z,vix-etps,0.7,,,,"line one line two, with comma"',
    );
    expect(lines.slice(4)).toEqual(['']);
  });

  it('exports JSON, all statuses by default', async () => {
    const { stdout } = await questionsCli(['export', '--format', 'json'], env.dir);
    const rows = JSON.parse(stdout) as Array<{ id: number; status: string; notes: string[] }>;
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      [1, 'open'],
      [2, 'open'],
      [3, 'open'],
      [4, 'dismissed'],
    ]);
    expect(rows[2]?.notes).toEqual(['line one line two, with comma']);
  });

  it('explains a wrong option or a missing database on stderr with exit code 2', async () => {
    await expect(questionsCli(['export', '--status', 'closed'], env.dir)).rejects.toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'error: --status must be one of open, answered, dismissed\n',
    });
    await expect(questionsCli(['export'], path.join(env.dir, 'nowhere'))).rejects.toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/no question database in/),
    });
  });
});

describe('csvField', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('-1 delta')).toBe("'-1 delta");
    expect(csvField(null)).toBe('');
    expect(csvField(0.5)).toBe('0.5');
  });
});

describe('npm run questions -- export --output', () => {
  it('writes the file and reports on stderr, leaving stdout empty', async () => {
    const file = path.join(env.dir, 'queue.json');
    const { stdout, stderr } = await questionsCli(['export', '--format', 'json', '--status', 'dismissed', '--output', file], env.dir);
    expect(stdout).toBe('');
    expect(stderr).toBe(`1 question(s) written to ${file}\n`);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Array<{ question: string }>).map((row) => row.question)).toEqual(['hello bot']);
  });
});

describe('npm run questions -- export while reports wait in the spool', () => {
  it('says on stderr how many wait or were refused, where, and that they are not in the export', async () => {
    const spool = path.join(env.dir, SPOOL_FILE);
    const rejected = path.join(env.dir, REJECTED_FILE);
    mkdirSync(path.dirname(spool), { recursive: true });
    const line = (id: string) => `${JSON.stringify({ id, at: '2026-03-02T10:00:00.000Z', report: unanswered('spooled question', 'u9') })}\n`;
    writeFileSync(spool, line('a') + line('b'));
    writeFileSync(rejected, line('c'));
    try {
      const { stdout, stderr } = await questionsCli(['export', '--status', 'open'], env.dir);
      expect(stdout.split('\r\n')).toHaveLength(5); // the header, the three open questions and the end: unchanged
      expect(stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^note: ${spool} holds 2 report\\(s\\) .* not in this export`)),
        expect.stringMatching(new RegExp(`^note: ${rejected} holds 1 report\\(s\\) the question store refused`)),
      ]);
    } finally {
      rmSync(path.dirname(spool), { recursive: true, force: true });
    }
    // Without them, nothing is said (as in the other tests).
    expect((await questionsCli(['export', '--status', 'open'], env.dir)).stderr).toBe('');
  });
});

describe('npm run questions -- export with DATABASE_URL', () => {
  it('names the server it could not reach, never the password, with exit code 1', async () => {
    const attempt = questionsCli(['export'], env.dir, 'postgres://bot:s3cret-pw@127.0.0.1:1/vixshield');
    await expect(attempt).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^error: could not open the question store in PostgreSQL at bot@127\.0\.0\.1:1\/vixshield: .*ECONNREFUSED/),
    });
    await expect(attempt).rejects.not.toMatchObject({ stderr: expect.stringContaining('s3cret') });
    await expect(questionsCli(['export'], env.dir, 'mysql://bot:s3cret-pw@db/vix')).rejects.toMatchObject({
      code: 2,
      stderr: 'error: DATABASE_URL is invalid: expected a PostgreSQL URL: postgres://USER:PASSWORD@HOST:5432/DATABASE\n',
    });
  });
});

(POSTGRES_URL ? describe : describe.skip)(`npm run questions -- export from ${POSTGRES_URL ? 'PostgreSQL' : POSTGRES_SKIPPED}`, () => {
  let pg: StoreEnv;
  beforeAll(async () => {
    pg = await postgresBackend.open();
    await pg.store.report(unanswered('What is "VIX", really?', 'u1'));
    await pg.store.report(unanswered('what is vix really', 'u2', { kind: 'flagged', note: 'too short' }));
  });
  afterAll(() => pg?.cleanup());

  it("reads the bot's queue from DATABASE_URL (its schema given in the URL's options)", async () => {
    const schema = (pg.store as unknown as { where: string }).where.match(/\(schema (\S+)\)/)![1]!;
    const { stdout, stderr } = await questionsCli(['export', '--format', 'json'], env.dir, urlWithSchema(schema));
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ id: 1, count: 2, askers: 2, unanswered: 1, flagged: 1, notes: ['too short'] })]);
  });
});
