import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';

/**
 * FiQA-mini (real questions, real answer posts, real judgments) lives outside the repository, in
 * ../shared/eval/fiqa-mini. It is converted to the knowledge format in a temporary folder at run time and
 * never copied into the project.
 */
export interface FiqaQuery {
  query_id: string;
  query: string;
  relevant_doc_ids: string[];
}

export interface FiqaDoc {
  doc_id: string;
  title: string;
  text: string;
}

export function defaultSharedDir(projectRoot: string): string {
  return process.env.SHARED_DIR ?? path.resolve(projectRoot, '..', 'shared');
}

export function fiqaDir(sharedDir: string): string | null {
  const dir = path.join(sharedDir, 'eval', 'fiqa-mini');
  return existsSync(path.join(dir, 'corpus.json')) && existsSync(path.join(dir, 'queries.json')) ? dir : null;
}

export async function readFiqa(dir: string): Promise<{ queries: FiqaQuery[]; docs: FiqaDoc[] }> {
  const [queries, docs] = await Promise.all([
    readFile(path.join(dir, 'queries.json'), 'utf8').then((raw) => JSON.parse(raw) as FiqaQuery[]),
    readFile(path.join(dir, 'corpus.json'), 'utf8').then((raw) => JSON.parse(raw) as FiqaDoc[]),
  ]);
  return { queries, docs };
}

/** Article slug for a FiQA doc id (ids are digits, which are valid slugs). */
export function fiqaSlug(docId: string): string {
  return `fiqa-${docId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

/** Writes FiQA posts as knowledge articles in a new temporary directory and returns its path. */
export async function writeFiqaKnowledge(docs: FiqaDoc[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fiqa-kb-'));
  await mkdir(path.join(dir, 'articles'));
  await mkdir(path.join(dir, 'glossary'));
  await writeFile(
    path.join(dir, 'site.yaml'),
    dump({ publisher: 'FiQA', site: 'FiQA-mini', base_url: 'https://fiqa.invalid', disclaimer: 'Evaluation corpus.' }),
  );
  await Promise.all(
    docs.map((doc) => {
      // FiQA titles are empty; a neutral title keeps the schema's required field without adding query words.
      const frontMatter = dump({ title: doc.title.trim() || `Post ${doc.doc_id}`, published: '2018-01-01' });
      // Plain text, not Markdown: indent-free and with Markdown markers escaped so the splitter sees paragraphs.
      const body = doc.text.replace(/^([#>*+-]|\d+\.)\s/gm, '\\$1 ').replace(/\s{2,}/g, '\n\n');
      return writeFile(path.join(dir, 'articles', `${fiqaSlug(doc.doc_id)}.md`), `---\n${frontMatter}---\n${body}\n`);
    }),
  );
  return dir;
}
