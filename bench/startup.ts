/**
 * Start-up to the first answer, as a person runs it: a fresh process that reads a 2,000-article knowledge base and
 * answers one question, timed from spawn to exit. Side by side, in turn, the same number of runs each:
 * - `npm run ask` (what the README's CLI runs: tsx src/cli/ask.ts),
 * - the compiled CLI (node dist/src/cli/ask.js, as production runs; only when `npm run build` has made dist/),
 * - the MiniSearch answer path over the same files (bench/minisearch-startup.ts, also through tsx).
 * Target (issue 12): npm run ask within 1.5x the MiniSearch path.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface StartupResult {
  articles: number;
  passages: number;
  runs: number;
  /** Median wall-clock milliseconds from spawn to exit, per path. */
  medianMs: { npmAsk: number; compiled: number | null; miniSearch: number };
  ratio: number;
}

const QUESTION = 'How do I manage an iron condor when one side gets tested?';

function timeProcess(args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim()}`))));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureStartup(projectRoot: string, dir: string, corpus: { articles: number; passages: number }, runs = 5): Promise<StartupResult> {
  const compiledCli = path.join(projectRoot, 'dist', 'src', 'cli', 'ask.js');
  const paths = {
    npmAsk: ['--import', 'tsx', path.join(projectRoot, 'src', 'cli', 'ask.ts'), '--knowledge', dir, QUESTION],
    compiled: existsSync(compiledCli) ? [compiledCli, '--knowledge', dir, QUESTION] : null,
    miniSearch: ['--import', 'tsx', path.join(projectRoot, 'bench', 'minisearch-startup.ts'), dir, QUESTION],
  };
  const times = { npmAsk: [] as number[], compiled: [] as number[], miniSearch: [] as number[] };
  // In turn, so a change in the machine's load hits every path alike.
  for (let run = 0; run < runs; run++) {
    times.npmAsk.push(await timeProcess(paths.npmAsk, projectRoot));
    if (paths.compiled) times.compiled.push(await timeProcess(paths.compiled, projectRoot));
    times.miniSearch.push(await timeProcess(paths.miniSearch, projectRoot));
  }
  const medianMs = {
    npmAsk: Math.round(median(times.npmAsk)),
    compiled: paths.compiled ? Math.round(median(times.compiled)) : null,
    miniSearch: Math.round(median(times.miniSearch)),
  };
  return { ...corpus, runs, medianMs, ratio: Math.round((medianMs.npmAsk / medianMs.miniSearch) * 100) / 100 };
}

export function formatStartup(result: StartupResult): string {
  const compiled = result.medianMs.compiled === null ? 'not built (npm run build)' : `${result.medianMs.compiled} ms`;
  return [
    '',
    `Start-up to the first answer, ${result.articles} articles (${result.passages} passages), median of ${result.runs} fresh processes each:`,
    `  npm run ask (tsx) ${result.medianMs.npmAsk} ms   compiled CLI ${compiled}   MiniSearch path (tsx) ${result.medianMs.miniSearch} ms`,
    `  ${result.ratio <= 1.5 ? 'MET ' : 'MISS'}  npm run ask / MiniSearch path <= 1.5: ${result.ratio}`,
    '',
  ].join('\n');
}
