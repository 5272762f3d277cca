/**
 * Runs the real CLI (ask, glossary, validate) as child processes against the fixture knowledge base.
 * `node --import tsx` starts faster than `npx tsx` (measured: about 1.0-1.6 s against 1.7-2.7 s per run here), and
 * every process is started once, in beforeAll, a few at a time; the tests then read the recorded outputs.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { DEFAULT_COMPLETIONS } from '../../src/engine/glossary.js';
import { FIXTURE_KB, FIXTURE_SITE, fixtureCopy, md, tempKb, type TempKb } from '../fixtures/kb.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

type Script = 'ask' | 'glossary' | 'validate';

function runCli(script: Script, args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env?.KNOWLEDGE_DIR) delete env.KNOWLEDGE_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'cli', `${script}.ts`), ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A shell pipeline from the project folder; `code` is the pipeline's (the last command's) exit code. */
function runShell(command: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.KNOWLEDGE_DIR;
    const child = spawn('bash', ['-o', 'pipefail', '-c', command], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the jobs with at most `limit` child processes at a time (the machine has 2 cores). */
async function runAll<K extends string>(jobs: Record<K, () => Promise<Run>>, limit = 2): Promise<Record<K, Run>> {
  const entries = Object.entries(jobs) as Array<[K, () => Promise<Run>]>;
  const results = {} as Record<K, Run>;
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < entries.length) {
        const [name, job] = entries[next++]!;
        results[name] = await job();
      }
    }),
  );
  return results;
}

const STACK_TRACE = /\n\s+at .+[:(]\d+:\d+\)?/;
const fixtureEnv = { KNOWLEDGE_DIR: FIXTURE_KB };

const BATCH_LINES = [
  'When do traders use an iron condor?',
  '',
  'best mortgage rate for a first home',
  '   ',
  '?!?...',
  'Что такое опцион?',
  'what is the A/D line',
  '\u0007\u0000',
  `${'How do I manage an iron condor? '.repeat(40).slice(0, 1000)}x`,
];

let runs: Record<
  | 'askHuman'
  | 'askJson'
  | 'batch'
  | 'batchClosedPipe'
  | 'askUnanswered'
  | 'askNoFolder'
  | 'validateNoFolder'
  | 'askEmpty'
  | 'askTooLong'
  | 'askInvalidKb'
  | 'glossaryHuman'
  | 'glossaryJson'
  | 'glossaryUnknown'
  | 'complete'
  | 'validateOk'
  | 'validateBroken',
  Run
>;
let broken: TempKb;
let big: TempKb;
let manyQuestions: string;

beforeAll(async () => {
  broken = await fixtureCopy({
    'articles/what-is-an-iron-condor.md': md('title: "Broken"\npublished: 2026-02-30', 'Body.\n'),
    'articles/how-do-i-roll-a-short-put.md': md('title: "Dangling"\npublished: 2025-01-09\nglossary: [vega, no-such-term]', 'Body.\n'),
    'glossary/vega.md': md('term: Vega\nrelated: [vega]', 'Vega.\n'),
  });
  const terms: Record<string, string> = {};
  for (let i = 0; i < 40; i++) terms[`glossary/gamma-term-${i}.md`] = md(`term: Gamma Term ${i}`, `Definition number ${i}.\n`);
  big = await tempKb(terms);
  manyQuestions = path.join(big.dir, 'questions.txt');
  await writeFile(manyQuestions, 'When do traders use an iron condor?\n'.repeat(20_000));

  runs = await runAll({
    askHuman: () => runCli('ask', ['--knowledge', FIXTURE_KB, 'When do traders use an iron condor?']),
    askJson: () => runCli('ask', ['--json', 'what is an IC'], { env: fixtureEnv }),
    batch: () => runCli('ask', [], { env: fixtureEnv, input: `${BATCH_LINES.join('\n')}\n` }),
    // Many lines, so the writer is still busy when head has gone.
    batchClosedPipe: () => runShell(`node --import tsx src/cli/ask.ts --knowledge '${FIXTURE_KB}' < '${manyQuestions}' | head -1`),
    askUnanswered: () => runCli('ask', ['--knowledge', FIXTURE_KB, 'best mortgage rate for a first home']),
    askNoFolder: () => runCli('ask', ['--knowledge', '/no/such/knowledge-folder', 'what is an IC']),
    validateNoFolder: () => runCli('validate', [], { env: { KNOWLEDGE_DIR: '/no/such/knowledge-folder' } }),
    askEmpty: () => runCli('ask', ['--knowledge', FIXTURE_KB, '']),
    askTooLong: () => runCli('ask', ['--knowledge', FIXTURE_KB, 'why '.repeat(1250)]),
    askInvalidKb: () => runCli('ask', ['--knowledge', broken.dir, 'what is an IC']),
    glossaryHuman: () => runCli('glossary', ['--knowledge', FIXTURE_KB, 'A/D line']),
    glossaryJson: () => runCli('glossary', ['--json', 'ic'], { env: fixtureEnv }),
    glossaryUnknown: () => runCli('glossary', ['--knowledge', FIXTURE_KB, 'xyzzy']),
    complete: () => runCli('glossary', ['--knowledge', big.dir, '--complete', 'gamma']),
    validateOk: () => runCli('validate', ['--knowledge', FIXTURE_KB]),
    validateBroken: () => runCli('validate', [], { env: { KNOWLEDGE_DIR: broken.dir } }),
  });
}, 120_000);

afterAll(async () => {
  await broken?.cleanup();
  await big?.cleanup();
});

function expectNoStackTrace(run: Run) {
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stdout).not.toMatch(STACK_TRACE);
}

describe('ask', () => {
  it('prints the answer as a person reads it (--knowledge): title, URL, excerpt, citation, disclaimer', () => {
    const { code, stdout, stderr } = runs.askHuman;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('What is an iron condor, and when do traders use one?');
    expect(lines[1]).toBe('https://fixture.example.com/ask/what-is-an-iron-condor');
    expect(lines[2]).toBe('');
    // Not a terminal: bold markers are dropped, no escape codes.
    expect(lines[3]).toMatch(/^Traders tend to open condors when implied volatility/);
    expect(stdout).not.toContain('**');
    expect(stdout).not.toContain('\u001b');
    expect(stdout).toContain('Glossary: Iron Condor, Credit Spread, Implied Volatility');
    expect(stdout).toContain('Keep reading: How do I roll a short put?');
    expect(stdout).toContain(
      'Cite as: Fixture Research Desk. (2025). What is an iron condor, and when do traders use one? Ask Fixture. Retrieved from https://fixture.example.com/ask/what-is-an-iron-condor',
    );
    expect(lines.at(-1)).toBe(FIXTURE_SITE.disclaimer);
  });

  it('--json (KNOWLEDGE_DIR) prints exactly one JSON object with the contract fields', () => {
    const { code, stdout, stderr } = runs.askJson;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['answer', 'evidence', 'question', 'results', 'status']);
    expect(json.evidence).toMatch(/\(p 0\.\d\d; coverage /);
    expect(json.question).toBe('what is an IC');
    expect(json.status).toBe('answered');
    const answer = json.answer as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['citation', 'confidence', 'disclaimer', 'excerpt', 'kind', 'slug', 'title', 'url']);
    expect(answer).toMatchObject({
      kind: 'glossary',
      slug: 'iron-condor',
      title: 'Iron Condor',
      url: 'https://fixture.example.com/glossary/iron-condor',
      citation: 'Fixture Research Desk. (n.d.). Iron Condor. Ask Fixture. Retrieved from https://fixture.example.com/glossary/iron-condor',
      disclaimer: FIXTURE_SITE.disclaimer,
    });
    expect(answer.excerpt).toContain('**iron** **condor**');
    expect(answer.confidence).toEqual(expect.any(Number));
    const results = json.results as Array<Record<string, unknown>>;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(10);
    expect(results[0]).toMatchObject({ kind: 'glossary', slug: 'iron-condor' });
    for (const result of results) {
      expect(Object.keys(result).sort()).toEqual(['kind', 'score', 'slug', 'title']);
      expect(['article', 'glossary']).toContain(result.kind);
    }
    const scores = results.map((r) => r.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('batch mode: exactly one JSON line per stdin line, in order; blank lines are unanswered (empty)', () => {
    const { code, stdout, stderr } = runs.batch;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(BATCH_LINES.length);
    const parsed = lines.map(
      (line) => JSON.parse(line) as { question: string; status: string; reason?: string; answer: { slug: string } | null; results: unknown[] },
    );
    expect(parsed.map((p) => [p.status, p.reason ?? null, p.answer?.slug ?? null])).toEqual([
      ['answered', null, 'what-is-an-iron-condor'],
      ['unanswered', 'empty', null],
      ['unanswered', 'low_confidence', null],
      ['unanswered', 'empty', null],
      ['unanswered', 'no_words', null],
      ['unanswered', 'no_match', null],
      ['answered', null, 'advance-decline-line'],
      ['unanswered', 'empty', null],
      ['unanswered', 'too_long', null],
    ]);
    expect(parsed[0]!.question).toBe(BATCH_LINES[0]);
    // Unanswered lines keep the contract: answer null, results (up to 10) still listed for the off-topic one.
    // `evidence` is there whenever the question was searched (not for input problems or a question without words).
    for (const line of parsed) {
      const searched = !['empty', 'too_long', 'no_words'].includes(line.reason ?? '');
      const contract = line.status === 'answered' ? ['answer', 'question', 'results', 'status'] : ['answer', 'question', 'reason', 'results', 'status'];
      expect(Object.keys(line).sort()).toEqual([...contract, ...(searched ? ['evidence'] : [])].sort());
    }
    expect(parsed[2]).toMatchObject({ question: 'best mortgage rate for a first home', answer: null });
    expect(parsed[2]!.results.length).toBeGreaterThan(0);
    expect(parsed[2]!.results.length).toBeLessThanOrEqual(10);
    expect(parsed[4]!.results).toEqual([]);
  });

  it('batch mode into a pipe closed early (| head -1) ends quietly with exit 0', () => {
    const { code, stdout, stderr } = runs.batchClosedPipe;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('an unanswered question says so without claiming anything was stored (the CLI stores nothing)', () => {
    const { code, stdout } = runs.askUnanswered;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^I don't have a confident answer to that yet\./);
    expect(stdout).not.toMatch(/editor|noted/i);
  });

  it('an empty question exits 2 with a clear message, nothing on stdout, no stack trace', () => {
    const { code, stdout, stderr } = runs.askEmpty;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: The question is empty/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expectNoStackTrace(runs.askEmpty);
  });

  it('a 5,000-character question exits 2 with a clear message, nothing on stdout, no stack trace', () => {
    const { code, stdout, stderr } = runs.askTooLong;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: The question is 4,999 characters long; the limit is 1,000/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expectNoStackTrace(runs.askTooLong);
  });

  it('an invalid knowledge base exits 3 and lists the problems on stderr, no stack trace', () => {
    const { code, stdout, stderr } = runs.askInvalidKb;
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: the knowledge base is invalid \(3 problem\(s\)\); run npm run validate\n/);
    expect(stderr).toMatch(/^ {2}articles\/what-is-an-iron-condor\.md: published: .*2026-02-30/m);
    expect(stderr).toMatch(/^ {2}articles\/how-do-i-roll-a-short-put\.md: glossary\.1: .*no-such-term/m);
    expect(stderr).toMatch(/^ {2}glossary\/vega\.md: related\.0: /m);
    expectNoStackTrace(runs.askInvalidKb);
  });
});

describe('glossary', () => {
  it('looks a term up by alias and prints it for a person', () => {
    const { code, stdout, stderr } = runs.glossaryHuman;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Advance-Decline Line (A/D Line)',
      'https://fixture.example.com/glossary/advance-decline-line',
      '',
      'The advance-decline line is a cumulative count of advancing minus declining issues, used to judge how broad a market move is.',
    ]);
    expect(stdout).toContain('Related: Moving Average');
    expect(stdout).toContain('  - How do I read the advance-decline line?');
  });

  it('--json (KNOWLEDGE_DIR) prints one JSON object with the term, its related terms and articles', () => {
    const { code, stdout, stderr } = runs.glossaryJson;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      query: 'ic',
      match: 'exact',
      term: {
        slug: 'iron-condor',
        term: 'Iron Condor',
        aliases: ['IC'],
        url: 'https://fixture.example.com/glossary/iron-condor',
        related: ['credit-spread', 'implied-volatility'],
        articles: [
          {
            slug: 'what-is-an-iron-condor',
            title: 'What is an iron condor, and when do traders use one?',
            url: 'https://fixture.example.com/ask/what-is-an-iron-condor',
          },
        ],
      },
      suggestions: [],
    });
  });

  it('an unknown term exits 1 with a message on stderr and nothing on stdout', () => {
    const { code, stdout, stderr } = runs.glossaryUnknown;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('No glossary term matches "xyzzy".\n');
  });

  it('--complete prints at most 25 "name<TAB>slug" lines', () => {
    const { code, stdout, stderr } = runs.complete;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(DEFAULT_COMPLETIONS);
    for (const line of lines) expect(line).toMatch(/^Gamma Term \d+\tgamma-term-\d+$/);
  });
});

describe('a knowledge folder that does not exist', () => {
  it('is named as not found, exit 2, no stack trace (--knowledge or KNOWLEDGE_DIR)', () => {
    expect(runs.askNoFolder).toMatchObject({ code: 2, stdout: '', stderr: 'error: --knowledge folder not found: /no/such/knowledge-folder\n' });
    expect(runs.validateNoFolder).toMatchObject({ code: 2, stdout: '', stderr: 'error: KNOWLEDGE_DIR folder not found: /no/such/knowledge-folder\n' });
  });
});

describe('validate', () => {
  it('exits 0 on the fixture with a summary', () => {
    const { code, stdout, stderr } = runs.validateOk;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: 5 articles \(\d+ passages\), 10 glossary terms in .*kb\n$/);
  });

  it('exits 1 on a broken copy (KNOWLEDGE_DIR) with one "file: field: message" line per problem', () => {
    const { code, stdout } = runs.validateBroken;
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).sort()).toEqual([
      expect.stringMatching(/^articles\/how-do-i-roll-a-short-put\.md: glossary\.1: .+$/),
      expect.stringMatching(/^articles\/what-is-an-iron-condor\.md: published: .+$/),
      expect.stringMatching(/^glossary\/vega\.md: related\.0: .+$/),
    ]);
    expect(lines[3]).toMatch(/^3 problem\(s\) in /);
    expectNoStackTrace(runs.validateBroken);
  });
});
