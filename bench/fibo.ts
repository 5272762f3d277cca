import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import { nameKey } from '../src/knowledge/read.js';

/**
 * The FIBO glossary (../shared/eval/fibo-glossary/glossary.jsonl, 6,008 real finance terms) converted to glossary
 * files in a temporary knowledge directory at run time; never copied into the project.
 *
 * The knowledge format demands that every name (term or alias) lead to one entry. FIBO repeats some terms (the
 * same label in several modules) and some synonyms equal other terms: a repeated term skips the whole entry, a
 * synonym already used elsewhere is dropped from the aliases. Both are counted and reported.
 */
interface FiboEntry {
  term: string;
  definition: string;
  synonyms: string[];
  explanatory_notes: string[];
}

export interface FiboCorpus {
  dir: string;
  entries: number;
  written: number;
  skippedDuplicateTerms: number;
  droppedAliases: number;
}

export function fiboFile(sharedDir: string): string | null {
  const file = path.join(sharedDir, 'eval', 'fibo-glossary', 'glossary.jsonl');
  return existsSync(file) ? file : null;
}

function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'term'
  );
}

/** One line of Markdown-safe plain text: FIBO definitions may start with characters Markdown reads as syntax. */
function plainParagraph(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^([#>*+-]|\d+\.)\s/, '\\$1 ');
}

export async function writeFiboKnowledge(file: string, shippedDir: string): Promise<FiboCorpus> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim());
  const entries = lines.map((line) => JSON.parse(line) as FiboEntry);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-fibo-'));
  await mkdir(path.join(dir, 'articles'));
  await mkdir(path.join(dir, 'glossary'));
  await copyFile(path.join(shippedDir, 'site.yaml'), path.join(dir, 'site.yaml'));

  const termKeys = new Set<string>();
  const usedNames = new Set<string>();
  const slugs = new Set<string>();
  let skippedDuplicateTerms = 0;
  let droppedAliases = 0;
  const kept: FiboEntry[] = [];
  for (const entry of entries) {
    const key = nameKey(entry.term);
    if (!entry.term.trim() || !entry.definition.trim() || termKeys.has(key)) {
      skippedDuplicateTerms++;
      continue;
    }
    termKeys.add(key);
    kept.push(entry);
  }
  // Terms claim their names first, so an alias never takes the name of a later term.
  termKeys.forEach((key) => usedNames.add(key));
  const writes: Array<Promise<void>> = [];
  for (const entry of kept) {
    const aliases: string[] = [];
    for (const synonym of entry.synonyms) {
      const key = nameKey(synonym);
      if (!synonym.trim() || usedNames.has(key)) {
        if (synonym.trim() && key !== nameKey(entry.term)) droppedAliases++;
        continue;
      }
      usedNames.add(key);
      aliases.push(synonym.trim());
    }
    let slug = slugify(entry.term);
    for (let n = 2; slugs.has(slug); n++) slug = `${slugify(entry.term)}-${n}`;
    slugs.add(slug);
    const body = [entry.definition, ...entry.explanatory_notes].map(plainParagraph).filter(Boolean).join('\n\n');
    writes.push(writeFile(path.join(dir, 'glossary', `${slug}.md`), `---\n${dump({ term: entry.term.trim(), aliases })}---\n${body}\n`));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return { dir, entries: entries.length, written: kept.length, skippedDuplicateTerms, droppedAliases };
}
