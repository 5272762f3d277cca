import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KnowledgeError, formatIssue } from '../knowledge/read.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** --knowledge DIR, else KNOWLEDGE_DIR, else the knowledge/ folder shipped with the project. */
export function knowledgeDir(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.KNOWLEDGE_DIR ?? path.join(PROJECT_ROOT, 'knowledge'));
}

/** Thrown for a mistake of the person at the keyboard: printed as one clear line, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs a CLI main function: known errors print a clear message to standard error (never a stack trace) and set
 * the exit code; standard output is left to the command's answer.
 */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n`);
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
