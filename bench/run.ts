/**
 * npm run bench -- [--json] [--corpora shipped,1k,10k,100k,fibo] [--questions N] [--prefixes N] [--cpu-prof]
 *
 * A benchmark, not a test (see README "Performance"). Each corpus runs in its own child process, one after another,
 * so heap and RSS are measured on a fresh heap; synthetic corpora and the FIBO glossary are written to temporary
 * directories and removed afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultSharedDir } from '../src/eval/fiqa.js';
import { loadKnowledgeBase } from '../src/knowledge/read.js';
import { fiboFile, writeFiboKnowledge } from './fibo.js';
import type { CorpusResult } from './measure.js';
import { formatStartup, measureStartup, type StartupResult } from './startup.js';
import { writeSyntheticKnowledge } from './synthetic.js';
import { formatTable, checkTargets } from './report.js';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES: Record<string, number> = { '1k': 1_000, '10k': 10_000, '100k': 100_000 };
const ALL = ['shipped', '1k', '10k', '100k', 'fibo', 'startup'];
/** Passages for about 2,000 articles (the synthetic articles hold about eight passages each). */
const STARTUP_PASSAGES = 16_000;

const HELP = `Usage: npm run bench -- [--json] [--corpora ${ALL.join(',')}] [--questions N] [--prefixes N] [--cpu-prof]

  --corpora     which corpora to run, in order (default: all)
  --questions   questions asked per corpus (default 1200; at least 1000 for the README table)
  --prefixes    autocomplete inputs per corpus (default 2000)
  --cpu-prof    write a V8 CPU profile of each child to ./bench-profiles (open in Chrome DevTools)
  --json        one JSON document on stdout instead of the table
FIBO is read from ../shared/eval/fibo-glossary (SHARED_DIR overrides ../shared); skipped with a notice if absent.
The startup corpus times fresh processes answering one question from a ~2,000-article knowledge base: npm run ask, the
compiled CLI (after npm run build) and a MiniSearch answer path, side by side.
`;

const log = (message: string) => process.stderr.write(`${message}\n`);

function runChild(name: string, dir: string, options: { questions: string; prefixes: string; cpuProf: boolean }): Promise<CorpusResult> {
  const nodeArgs = ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx'];
  if (options.cpuProf)
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(PROJECT_ROOT, 'bench-profiles')}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`);
  const args = [
    ...nodeArgs,
    path.join(PROJECT_ROOT, 'bench', 'measure.ts'),
    '--name',
    name,
    '--dir',
    dir,
    '--questions',
    options.questions,
    '--prefixes',
    options.prefixes,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) reject(new Error(`corpus ${name}: child exited with code ${code}`));
      else resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as CorpusResult);
    });
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      corpora: { type: 'string', default: ALL.join(',') },
      questions: { type: 'string', default: '1200' },
      prefixes: { type: 'string', default: '2000' },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const corpora = values.corpora
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = corpora.filter((c) => !ALL.includes(c));
  if (unknown.length > 0) {
    process.stderr.write(`error: unknown corpus ${unknown.join(', ')} (choose from ${ALL.join(', ')})\n`);
    return 2;
  }
  if (values['cpu-prof']) await mkdir(path.join(PROJECT_ROOT, 'bench-profiles'), { recursive: true });
  const shippedDir = path.join(PROJECT_ROOT, 'knowledge');
  const shipped = await loadKnowledgeBase(shippedDir);
  const options = { questions: values.questions, prefixes: values.prefixes, cpuProf: values['cpu-prof'] };
  const results: CorpusResult[] = [];
  const notes: string[] = [];
  const started = performance.now();

  let startup: StartupResult | undefined;
  for (const corpus of corpora) {
    if (corpus === 'startup') {
      const generated = await writeSyntheticKnowledge(shipped, shippedDir, STARTUP_PASSAGES);
      log(`startup: generated ${generated.articles} articles (${generated.passages} passages); timing fresh processes`);
      try {
        startup = await measureStartup(PROJECT_ROOT, generated.dir, generated);
      } finally {
        await rm(generated.dir, { recursive: true, force: true });
      }
      continue;
    }
    let dir = shippedDir;
    let temporary = false;
    if (corpus in SIZES) {
      const generated = await writeSyntheticKnowledge(shipped, shippedDir, SIZES[corpus]!);
      log(
        `${corpus}: generated ${generated.passages} passages in ${generated.articles} articles (+${generated.glossary} glossary terms) in ${Math.round(generated.ms)} ms`,
      );
      dir = generated.dir;
      temporary = true;
    } else if (corpus === 'fibo') {
      const file = fiboFile(defaultSharedDir(PROJECT_ROOT));
      if (!file) {
        const note = 'fibo: skipped, ../shared/eval/fibo-glossary/glossary.jsonl not found (set SHARED_DIR)';
        log(`notice: ${note}`);
        notes.push(note);
        continue;
      }
      const fibo = await writeFiboKnowledge(file, shippedDir);
      const note = `fibo: ${fibo.entries} entries, ${fibo.written} written; ${fibo.skippedDuplicateTerms} skipped (term already used by an earlier entry), ${fibo.droppedAliases} synonyms dropped (name already used)`;
      log(note);
      notes.push(note);
      dir = fibo.dir;
      temporary = true;
    }
    log(`${corpus}: measuring in a child process`);
    try {
      results.push(await runChild(corpus, dir, options));
    } finally {
      if (temporary) await rm(dir, { recursive: true, force: true });
    }
  }

  const totalMs = Math.round(performance.now() - started);
  const targets = checkTargets(results);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, loadavg: (await import('node:os')).loadavg(), totalMs, results, targets, notes, startup: startup ?? null })}\n`,
    );
  } else {
    if (results.length > 0) process.stdout.write(formatTable(results, targets, notes, totalMs));
    if (startup) process.stdout.write(formatStartup(startup));
  }
  // A benchmark, not a gate: a missed target is reported in the table, not in the exit code.
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
