import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Answer } from '../engine/answer.js';
import { loadEngine, type AskResult, type Engine } from '../engine/engine.js';
import { checkQuestion } from '../engine/question.js';
import { UsageError, knowledgeDir, runCli } from './common.js';

const HELP = `Usage:
  npm run --silent ask -- [--json] [--knowledge DIR] "question"
  npm run --silent ask -- [--knowledge DIR] < questions.txt     (batch: one JSON line for each line, blank ones included)

Answers a question from the knowledge base the way the Discord bot would. With --json, prints one object:
  {question, status: "answered"|"unanswered", answer: {kind, slug, title, url, excerpt, citation, disclaimer,
   confidence} | null, results: [{kind, slug, title, score}]}   (up to 10 results, best first)
Only the answer goes to standard output; messages go to standard error. KNOWLEDGE_DIR also sets the folder.
Exit codes: 0 answered or honestly unanswered, 2 bad input (empty or over 1,000 characters), 3 invalid knowledge base.
`;

/** The stable JSON contract of the CLI (scripts depend on it: add fields, never rename them). */
export function toJson(result: AskResult) {
  const answer = result.answer;
  return {
    question: result.question,
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.evidence ? { evidence: result.evidence } : {}),
    answer: answer
      ? {
          kind: answer.kind,
          slug: answer.slug,
          title: answer.title,
          url: answer.url,
          excerpt: answer.excerpt,
          ...(answer.sections ? { sections: answer.sections } : {}),
          citation: answer.citation,
          disclaimer: answer.disclaimer,
          confidence: answer.confidence,
        }
      : null,
    results: result.results.map(({ kind, slug, title, score }) => ({ kind, slug, title, score })),
  };
}

function boldForTerminal(text: string, tty: boolean): string {
  return text.replace(/\*\*(.+?)\*\*/g, (_, word: string) => (tty ? `\u001b[1m${word}\u001b[22m` : word));
}

export function formatAnswerText(answer: Answer, tty = false): string {
  const lines = [answer.title, answer.url, '', boldForTerminal(answer.excerpt, tty), ''];
  if (answer.glossary.length > 0) lines.push(`Glossary: ${answer.glossary.map((term) => term.term).join(', ')}`);
  if (answer.related.length > 0) lines.push(`Keep reading: ${answer.related.map((article) => article.title).join(' | ')}`);
  lines.push(`Cite as: ${answer.citation}`, '', answer.disclaimer);
  return lines.join('\n');
}

export function formatResultText(result: AskResult, tty = false): string {
  if (result.answer) return formatAnswerText(result.answer, tty);
  const lines = [result.message ?? "I don't have an answer to that yet."];
  if (result.suggestions.length > 0) {
    lines.push('', 'Did you mean:', ...result.suggestions.map((s) => `  - ${s.title} (${s.kind}: ${s.slug})`));
  }
  return lines.join('\n');
}

/**
 * One JSON line out for every line in, in order, so outputs pair with inputs by line number: a blank line is
 * `unanswered` with reason `empty`. A reader that stops early (`| head -1`) ends the run quietly (runCli).
 */
async function batch(engine: Engine): Promise<number> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!process.stdout.write(`${JSON.stringify(toJson(engine.ask(line)))}\n`)) await once(process.stdout, 'drain');
  }
  return 0;
}

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      knowledge: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) {
    if (process.stdin.isTTY) throw new UsageError('no question given. Try: npm run --silent ask -- "What is an iron condor?" (or --help)');
    return batch(await loadEngine(knowledgeDir(values.knowledge)));
  }
  const check = checkQuestion(positionals.join(' '));
  if (!check.ok) throw new UsageError(check.message);
  const engine = await loadEngine(knowledgeDir(values.knowledge));
  const result = engine.ask(check.question);
  process.stdout.write(values.json ? `${JSON.stringify(toJson(result))}\n` : `${formatResultText(result, process.stdout.isTTY === true)}\n`);
  return 0;
});
