/**
 * What every command-line entry point shares (npm start, ask, glossary, validate, eval, questions, register): clear
 * error messages and exit codes instead of stack traces, --help, the knowledge folder, and quiet closed pipes.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { KnowledgeError, formatIssue } from '../knowledge/read.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../paths.js';

export { PROJECT_ROOT } from '../paths.js';
export { UsageError } from '../errors.js';

/** --knowledge DIR, else KNOWLEDGE_DIR, else the knowledge/ folder shipped with the project; the folder must exist. */
export function knowledgeDir(flag: string | undefined): string {
  const source = flag !== undefined ? '--knowledge' : process.env.KNOWLEDGE_DIR ? 'KNOWLEDGE_DIR' : 'the shipped knowledge';
  const dir = path.resolve(flag ?? (process.env.KNOWLEDGE_DIR || DEFAULT_KNOWLEDGE_DIR));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${source} folder not found: ${dir}`);
  return dir;
}

/**
 * For commands whose only option is --help (npm start, npm run register): prints `help` and returns
 * { help: true } when asked, so the command does nothing else; any other argument is a usage error.
 */
export function parseCommandLine(spec: { help: string }): { help: boolean } {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) process.stdout.write(spec.help);
  return { help: values.help };
}

function isParseArgsError(error: unknown): error is Error {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS_')
  );
}

/**
 * A reader that went away (`npm run ask < questions.txt | head -1`) ends the command quietly: nothing more is
 * worth printing, and Node would otherwise die on the EPIPE with a stack trace.
 */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

/**
 * Runs a CLI main function: known errors print a clear message to standard error (never a stack trace) and set
 * the exit code; standard output is left to the command's answer.
 */
export function runCli(main: () => Promise<number | void>): void {
  endQuietlyOnClosedPipe();
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = 2;
      } else if (isParseArgsError(error)) {
        process.stderr.write(`error: ${error.message} (see --help)\n`);
        process.exitCode = 2;
      } else if (error instanceof KnowledgeError) {
        process.stderr.write(`error: the knowledge base is invalid (${error.issues.length} problem(s)); run npm run validate\n`);
        for (const issue of error.issues.slice(0, 20)) process.stderr.write(`  ${formatIssue(issue)}\n`);
        process.exitCode = 3;
      } else {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`error: ${message}\n`);
        process.exitCode = 1;
      }
    },
  );
}
