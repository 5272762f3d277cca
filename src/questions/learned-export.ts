/**
 * Learned phrasings back to the knowledge files (npm run questions -- learned [--write]): the store only holds what
 * is not yet exported; the files, reviewed and versioned in git, stay the source of truth.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { appendAsked } from '../knowledge/asked-file.js';
import { readKnowledgeBase } from '../knowledge/read.js';
import type { KnowledgeIssue } from '../knowledge/types.js';
import { normalizeQuestion } from './normalize.js';
import type { LearnedPhrasingRow, QuestionStore } from './store.js';

export interface ArticlePhrasings {
  slug: string;
  /** The article's file, relative to the knowledge folder; null when the knowledge base has no such article. */
  file: string | null;
  title: string | null;
  /** Not in the file yet, one per normalised text. */
  phrasings: LearnedPhrasingRow[];
  /** Learned, but the file's `asked:` list has them already (an editor added them by hand, or a copy). */
  alreadyListed: LearnedPhrasingRow[];
  /** Why the file was not written (--write), if it was not. */
  problem?: string;
}

export interface LearnedExport {
  articles: ArticlePhrasings[];
  /** Phrasings written to files (and marked exported); 0 without --write. */
  written: number;
  /** Problems of the knowledge folder after writing (none expected: each file is checked before it is written). */
  issues: KnowledgeIssue[];
}

function keyOf(text: string): string {
  return normalizeQuestion(text) || text.toLowerCase();
}

/**
 * The learned phrasings not yet exported, per article. With `write`, appends them to the articles' `asked:` lists
 * and marks them exported (those the file already lists too), so that a second run finds nothing new; phrasings of
 * articles the knowledge base does not have are left in the store and reported.
 */
export async function exportLearned(options: { store: QuestionStore; knowledgeDir: string; write: boolean }): Promise<LearnedExport> {
  const { store, knowledgeDir, write } = options;
  const { kb, issues } = await readKnowledgeBase(knowledgeDir);
  // Writing into a folder that does not validate would mix our change with its problems.
  if (!kb) return { articles: [], written: 0, issues };

  const bySlug = new Map<string, LearnedPhrasingRow[]>();
  for (const row of await store.learnedPhrasings()) {
    const list = bySlug.get(row.slug);
    if (list) list.push(row);
    else bySlug.set(row.slug, [row]);
  }
  const articles: ArticlePhrasings[] = [];
  const exported: number[] = [];
  let written = 0;
  for (const [slug, rows] of bySlug) {
    const article = kb.articleBySlug.get(slug);
    if (!article) {
      articles.push({ slug, file: null, title: null, phrasings: rows, alreadyListed: [], problem: 'no such article in the knowledge folder' });
      continue;
    }
    const listed = new Set(article.asked.map(keyOf));
    const phrasings: LearnedPhrasingRow[] = [];
    const alreadyListed: LearnedPhrasingRow[] = [];
    for (const row of rows) {
      const key = keyOf(row.text);
      if (listed.has(key)) alreadyListed.push(row);
      else {
        listed.add(key);
        phrasings.push(row);
      }
    }
    const entry: ArticlePhrasings = { slug, file: article.file, title: article.title, phrasings, alreadyListed };
    articles.push(entry);
    if (!write) continue;
    if (phrasings.length > 0) {
      const file = path.join(knowledgeDir, article.file);
      const outcome = appendAsked(
        await readFile(file, 'utf8'),
        phrasings.map((row) => row.text),
      );
      if (!outcome.ok) {
        entry.problem = outcome.reason;
        continue;
      }
      await writeFile(file, outcome.text);
      written += phrasings.length;
    }
    exported.push(...phrasings.map((row) => row.id), ...alreadyListed.map((row) => row.id));
  }
  if (exported.length > 0) await store.markExported(exported);
  const after = written > 0 ? (await readKnowledgeBase(knowledgeDir)).issues : [];
  return { articles, written, issues: after };
}

/** The listing the CLI prints: per article, each phrasing with who resolved it and when; then what was written. */
export function formatLearned(result: LearnedExport, write: boolean): string {
  const waiting = result.articles.filter((article) => article.phrasings.length > 0 || article.alreadyListed.length > 0);
  if (waiting.length === 0) return 'No learned phrasings waiting for export.\n';
  const lines: string[] = [];
  for (const article of waiting) {
    lines.push(`${article.slug}${article.file ? ` (${article.file})` : ''}: ${article.phrasings.length} learned phrasing(s)`);
    for (const row of article.phrasings)
      lines.push(`  ${JSON.stringify(row.text)}  resolved by ${row.resolvedBy} at ${row.createdAt} (question #${row.groupId})`);
    for (const row of article.alreadyListed) lines.push(`  ${JSON.stringify(row.text)}  already in the asked: list`);
    if (article.problem) lines.push(`  not written: ${article.problem}`);
  }
  if (write) {
    const files = result.articles.filter((article) => article.problem === undefined && article.phrasings.length > 0).length;
    lines.push('', `Wrote ${result.written} phrasing(s) to ${files} article file(s) and marked them exported. Review with git diff, then /reload the bot.`);
  } else {
    lines.push('', "npm run questions -- learned --write appends them to the articles' asked: lists.");
  }
  return `${lines.join('\n')}\n`;
}
