/**
 * The MiniSearch answer path as a process of its own, for the start-up comparison (bench/startup.ts): read and
 * validate the knowledge base with the same loader, build a MiniSearch index of its passages, answer one question,
 * print the answer, exit. Usage: node --import tsx bench/minisearch-startup.ts DIR "question"
 */
import { loadKnowledgeBase } from '../src/knowledge/read.js';
import { MiniSearchAnswerer, referenceDocs } from './minisearch-reference.js';

const [dir, question] = process.argv.slice(2);
if (!dir || !question) {
  process.stderr.write('usage: node --import tsx bench/minisearch-startup.ts DIR "question"\n');
  process.exit(2);
}
const kb = await loadKnowledgeBase(dir);
const answer = new MiniSearchAnswerer(referenceDocs(kb)).ask(question);
process.stdout.write(`${answer.slug ?? 'unanswered'}: ${answer.excerpt}\n`);
