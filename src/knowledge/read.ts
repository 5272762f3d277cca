// The knowledge loader: reads and validates a knowledge folder (site.yaml, articles/, glossary/) into plain data.
// Every problem is reported at once as "file: field: message"; nothing here knows the engine or Discord.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import type { z } from 'zod';
import {
  articleFrontMatterSchema,
  glossaryFrontMatterSchema,
  siteSchema,
  SLUG_PATTERN,
} from './schema.js';
import type { TimeSlicer } from '../slices.js';
import { nameKey } from '../text/tokens.js';
import { firstParagraph, markdownSections, sectionsToPlainText, splitArticle } from './split.js';
import type { Article, GlossaryTerm, KnowledgeBase, KnowledgeIssue, Site } from './types.js';

export class KnowledgeError extends Error {
  constructor(readonly issues: KnowledgeIssue[]) {
    super(`${issues.length} problem(s) in the knowledge base:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'KnowledgeError';
  }
}

export function formatIssue(issue: KnowledgeIssue): string {
  return `${issue.file}: ${issue.field}: ${issue.message}`;
}

/** How names (terms and aliases) compare; in src/text so that the loader needs nothing from the engine. */
export { nameKey };

interface SourceFile {
  file: string;
  slug: string;
  frontMatter: unknown;
  body: string;
}

/**
 * YAML 1.2 core schema (dates stay strings, as `published` expects). js-yaml 4 rather than `yaml`: parsing the
 * front matter of the shipped knowledge base was the largest part of a cold start's reading with `yaml` (~150 to
 * 300 ms of ~1 s in the bench profile) and takes ~45 ms with js-yaml 4 (~100 ms with js-yaml 5), for the same
 * values; the same inputs are rejected (duplicate keys, several documents, bad indentation), plus unknown tags,
 * which `yaml` read as strings with a warning. An empty source (or comments only) is an empty document, as it was.
 */
function parseYaml(text: string): unknown {
  return load(text, { schema: CORE_SCHEMA });
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. Why: V8 keeps a substring as a view of
 * its parent, and the front matter's values (title, tags...) would keep each whole file, Markdown body included,
 * alive as long as the knowledge base (4.5 MB at 10k passages, ~50 MB at 100k). UTF-16 round trip: exact for any
 * string.
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

function parseSource(file: string, raw: string, issues: KnowledgeIssue[]): SourceFile | null {
  const slug = path.basename(file, '.md');
  if (!SLUG_PATTERN.test(slug)) {
    issues.push({ file, field: 'file', message: 'file name must be a slug (lower-case letters, digits, hyphens) ending in .md' });
    return null;
  }
  const match = FRONT_MATTER.exec(raw);
  if (!match) {
    issues.push({ file, field: 'front matter', message: 'missing: the file must start with a "---" line, YAML, and a closing "---" line' });
    return null;
  }
  let frontMatter: unknown;
  try {
    frontMatter = parseYaml(detached(match[1] ?? '')) ?? {};
  } catch (error) {
    issues.push({ file, field: 'front matter', message: `invalid YAML: ${(error as Error).message.split('\n')[0]}` });
    return null;
  }
  return { file, slug, frontMatter, body: raw.slice(match[0].length) };
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), data);
}

function schemaIssues(file: string, data: unknown, error: z.ZodError): KnowledgeIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { file, field: issue.keys.join(', '), message: 'unknown key (check the spelling against the knowledge format in README)' };
    }
    const field = issue.path.length > 0 ? issue.path.join('.') : 'front matter';
    const missing = issue.path.length > 0 && valueAt(data, issue.path) === undefined;
    return { file, field, message: missing ? 'required field is missing' : issue.message };
  });
}

async function listMarkdown(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readSources(root: string, sub: string, issues: KnowledgeIssue[], slicer?: TimeSlicer): Promise<SourceFile[]> {
  const names = await listMarkdown(path.join(root, sub));
  const raws = await Promise.all(names.map((name) => readFile(path.join(root, sub, name), 'utf8')));
  const sources: SourceFile[] = [];
  for (const [i, name] of names.entries()) {
    const source = parseSource(`${sub}/${name}`, raws[i]!, issues);
    if (source) sources.push(source);
    const pause = slicer?.due();
    if (pause) await pause;
  }
  return sources;
}

async function readSite(root: string, issues: KnowledgeIssue[]): Promise<Site | null> {
  const file = 'site.yaml';
  let raw: string;
  try {
    raw = await readFile(path.join(root, file), 'utf8');
  } catch {
    issues.push({ file, field: 'file', message: `missing: every knowledge base needs ${file} (publisher, site, base_url, disclaimer)` });
    return null;
  }
  let data: unknown;
  try {
    data = parseYaml(raw) ?? {};
  } catch (error) {
    issues.push({ file, field: 'file', message: `invalid YAML: ${(error as Error).message.split('\n')[0]}` });
    return null;
  }
  const parsed = siteSchema.safeParse(data);
  if (!parsed.success) {
    issues.push(...schemaIssues(file, data, parsed.error));
    return null;
  }
  const { publisher, site, base_url, disclaimer, based_on, out_of_scope, synonyms } = parsed.data;
  return {
    publisher,
    site,
    baseUrl: base_url.replace(/\/+$/, ''),
    disclaimer: disclaimer.trim(),
    ...(based_on ? { basedOn: based_on } : {}),
    outOfScope: out_of_scope.map((phrase) => phrase.trim()),
    synonyms: Object.fromEntries(Object.entries(synonyms).map(([from, to]) => [from.trim(), to.trim()])),
  };
}

/**
 * Reads and validates a knowledge directory. Returns every problem found (never stops at the first), and the
 * knowledge base only when there are none.
 */
/**
 * Reads and validates a knowledge directory. With a slicer (a reload in a running bot), the parsing pauses whenever
 * the slicer's budget is spent, so the event loop keeps serving interactions.
 */
export async function readKnowledgeBase(dir: string, slicer?: TimeSlicer): Promise<{ kb: KnowledgeBase | null; issues: KnowledgeIssue[] }> {
  const root = path.resolve(dir);
  const issues: KnowledgeIssue[] = [];
  const [site, articleSources, glossarySources] = await Promise.all([
    readSite(root, issues),
    readSources(root, 'articles', issues, slicer),
    readSources(root, 'glossary', issues, slicer),
  ]);

  const glossary: GlossaryTerm[] = [];
  for (const source of glossarySources) {
    const pause = slicer?.due();
    if (pause) await pause;
    const parsed = glossaryFrontMatterSchema.safeParse(source.frontMatter);
    if (!parsed.success) {
      issues.push(...schemaIssues(source.file, source.frontMatter, parsed.error));
      continue;
    }
    // One Markdown parse per term: the definition and the full text both come from it.
    const sections = markdownSections(source.body);
    const definition = firstParagraph(sections);
    if (!definition) {
      issues.push({ file: source.file, field: 'body', message: 'empty: the first paragraph is the short definition' });
      continue;
    }
    glossary.push({
      slug: source.slug,
      file: source.file,
      term: parsed.data.term,
      aliases: parsed.data.aliases,
      related: parsed.data.related,
      definition,
      text: sectionsToPlainText(sections),
      url: `${site?.baseUrl ?? ''}/glossary/${source.slug}`,
    });
  }
  const glossaryBySlug = new Map(glossary.map((term) => [term.slug, term]));

  const articles: Article[] = [];
  for (const source of articleSources) {
    const pause = slicer?.due();
    if (pause) await pause;
    const parsed = articleFrontMatterSchema.safeParse(source.frontMatter);
    if (!parsed.success) {
      issues.push(...schemaIssues(source.file, source.frontMatter, parsed.error));
      continue;
    }
    const data = parsed.data;
    const passages = splitArticle(source.body).map((passage, i) => ({ id: `${source.slug}#${i}`, articleSlug: source.slug, ...passage }));
    if (passages.length === 0) {
      issues.push({ file: source.file, field: 'body', message: 'empty: an article needs at least one paragraph' });
      continue;
    }
    data.glossary.forEach((slug, i) => {
      if (!glossaryBySlug.has(slug) && !glossarySources.some((g) => g.slug === slug)) {
        issues.push({ file: source.file, field: `glossary.${i}`, message: `"${slug}" is not a glossary term (no glossary/${slug}.md)` });
      }
    });
    articles.push({
      slug: source.slug,
      file: source.file,
      title: data.title,
      published: data.published,
      author: data.author ?? site?.publisher ?? '',
      url: data.url ?? `${site?.baseUrl ?? ''}/ask/${source.slug}`,
      tags: data.tags,
      glossary: [...new Set(data.glossary)],
      asked: data.asked,
      ...(data.based_on ? { basedOn: data.based_on } : {}),
      passages,
    });
  }

  const glossarySlugs = new Set(glossarySources.map((g) => g.slug));
  const owners = new Map<string, string>();
  // Slug order, so a duplicate name blames the later file as an editor lists them ("vega" before "vega-exposure";
  // file names sort the other way round, "-" before ".").
  for (const term of [...glossary].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))) {
    term.related.forEach((slug, i) => {
      if (!glossarySlugs.has(slug)) {
        issues.push({ file: term.file, field: `related.${i}`, message: `"${slug}" is not a glossary term (no glossary/${slug}.md)` });
      } else if (slug === term.slug) {
        issues.push({ file: term.file, field: `related.${i}`, message: 'a term cannot be related to itself' });
      }
    });
    // A name (term or alias) must lead to exactly one entry, or lookups would be ambiguous.
    const names: Array<[string, string]> = [[term.term, 'term'], ...term.aliases.map((alias, i): [string, string] => [alias, `aliases.${i}`])];
    const own = new Set<string>();
    for (const [name, field] of names) {
      const key = nameKey(name);
      if (own.has(key)) {
        issues.push({ file: term.file, field, message: `"${name}" is listed twice for this term` });
        continue;
      }
      own.add(key);
      const owner = owners.get(key);
      if (owner) {
        issues.push({ file: term.file, field, message: `duplicate name "${name}": already used by ${owner}` });
      } else {
        owners.set(key, term.file);
      }
    }
  }

  if (issues.length > 0 || !site) return { kb: null, issues };
  return {
    kb: {
      dir: root,
      site,
      articles,
      glossary,
      articleBySlug: new Map(articles.map((article) => [article.slug, article])),
      glossaryBySlug,
    },
    issues,
  };
}

/** Reads a knowledge directory or throws a KnowledgeError listing every problem (file and field). */
export async function loadKnowledgeBase(dir: string): Promise<KnowledgeBase> {
  const { kb, issues } = await readKnowledgeBase(dir);
  if (!kb) throw new KnowledgeError(issues);
  return kb;
}
