import { create, insertMultiple, type Orama, type Tokenizer } from '@orama/orama';
import type { KnowledgeBase, Passage } from '../knowledge/types.js';
import { RELEVANCE } from './relevance.js';
import { analyze, isIndexable, surfaceTokens } from './text.js';

/**
 * Orama receives text we have already analysed (one analysis per field, shared with our own statistics).
 * PREANALYZED starts such a string; TERM_END ends every token so Orama's radix tree cannot expand a query token
 * into longer words ("car" must not score "card").
 */
const PREANALYZED = '\u0001';
const TERM_END = '~';

export function preanalyzed(terms: Iterable<string>): string {
  return PREANALYZED + [...terms].join(' ');
}

/** Our tokenizer for Orama: pre-analysed strings are split; anything else goes through `analyze`. */
function createTokenizer(): Tokenizer {
  return {
    language: 'english',
    normalizationCache: new Map(),
    tokenize(raw: string): string[] {
      const terms = raw.startsWith(PREANALYZED) ? raw.slice(1).split(' ').filter(Boolean) : analyze(raw);
      // One token per distinct term: Orama's score is then an IDF-weighted count of matched terms (see RELEVANCE).
      return [...new Set(terms)].map((term) => term + TERM_END);
    },
  };
}

const oramaSchema = { title: 'string', section: 'string', body: 'string' } as const;
export type PassageDb = Orama<typeof oramaSchema>;

export type DocKind = 'article' | 'glossary';

/** One searchable unit: an article passage or a glossary entry. */
export interface IndexedDoc {
  kind: DocKind;
  /** Article slug or glossary slug. */
  slug: string;
  title: string;
  section?: string;
  text: string;
  passage?: Passage;
  /** Sorted ids of the terms in any field. */
  termIds: Uint32Array;
  /** Sorted ids of the terms that say what the doc is about: title, heading and tags; a term's name and aliases. */
  topicIds: Uint32Array;
  /** BM25F pseudo term frequency for each term of termIds (field weights and length normalisation applied). */
  weightedTf: Float32Array;
}

export interface SearchIndex {
  kb: KnowledgeBase;
  db: PassageDb;
  docs: IndexedDoc[];
  /** term -> id */
  vocabulary: Map<string, number>;
  /** id -> term */
  terms: string[];
  /** id -> inverse document frequency */
  idf: Float64Array;
  /** id -> document frequency */
  df: Uint32Array;
  /** IDF of a term no document contains: the weight of a question word the knowledge base has never seen. */
  unseenIdf: number;
  /** Every indexable word of the knowledge base as written -> its number of occurrences (typo correction). */
  surfaceWords: Map<string, number>;
  /** Surface phrase of every glossary term and alias ("a/d line", "iv") -> glossary slug. */
  glossaryNames: Map<string, string>;
  longestGlossaryName: number;
}

type FieldName = keyof typeof RELEVANCE.fields;
const FIELDS = Object.keys(RELEVANCE.fields) as FieldName[];

interface DraftDoc extends Omit<IndexedDoc, 'termIds' | 'topicIds' | 'weightedTf'> {
  fields: Record<FieldName, string[]>;
}

function draftDocs(kb: KnowledgeBase): DraftDoc[] {
  const drafts: DraftDoc[] = [];
  for (const article of kb.articles) {
    const titleTerms = analyze(article.title);
    const tagTerms = article.tags.flatMap(analyze);
    for (const passage of article.passages) {
      drafts.push({
        kind: 'article',
        slug: article.slug,
        title: article.title,
        ...(passage.section ? { section: passage.section } : {}),
        text: passage.text,
        passage,
        fields: { title: titleTerms, section: [...analyze(passage.section ?? ''), ...tagTerms], body: analyze(passage.text) },
      });
    }
  }
  for (const term of kb.glossary) {
    drafts.push({
      kind: 'glossary',
      slug: term.slug,
      title: term.term,
      text: term.definition,
      // Aliases are names of the term, so they weigh as the title does.
      fields: { title: [term.term, ...term.aliases].flatMap(analyze), section: [], body: analyze(term.text) },
    });
  }
  return drafts;
}

export function inverseDocumentFrequency(docCount: number, docFrequency: number): number {
  return Math.log(1 + (docCount - docFrequency + 0.5) / (docFrequency + 0.5));
}

/** Builds the Orama index and the statistics the re-scorer and the confidence rule need. */
export function buildSearchIndex(kb: KnowledgeBase): SearchIndex {
  const drafts = draftDocs(kb);
  const vocabulary = new Map<string, number>();
  const terms: string[] = [];
  const dfCounts: number[] = [];
  const avgLength = Object.fromEntries(FIELDS.map((field) => [field, 0])) as Record<FieldName, number>;

  for (const draft of drafts) {
    const seen = new Set<number>();
    for (const field of FIELDS) {
      avgLength[field] += draft.fields[field].length / Math.max(1, drafts.length);
      for (const term of draft.fields[field]) {
        let id = vocabulary.get(term);
        if (id === undefined) {
          id = terms.length;
          vocabulary.set(term, id);
          terms.push(term);
          dfCounts.push(0);
        }
        if (!seen.has(id)) {
          seen.add(id);
          dfCounts[id]!++;
        }
      }
    }
  }

  const surfaceWords = new Map<string, number>();
  for (const draft of drafts) {
    for (const word of surfaceTokens(`${draft.title} ${draft.section ?? ''} ${draft.text}`)) {
      if (isIndexable(word)) surfaceWords.set(word, (surfaceWords.get(word) ?? 0) + 1);
    }
  }

  const docs: IndexedDoc[] = drafts.map(({ fields, ...doc }) => {
    const weighted = new Map<number, number>();
    for (const field of FIELDS) {
      const { weight, b } = RELEVANCE.fields[field];
      const norm = 1 - b + (b * fields[field].length) / Math.max(avgLength[field], 1e-9);
      for (const term of fields[field]) {
        const id = vocabulary.get(term)!;
        weighted.set(id, (weighted.get(id) ?? 0) + weight / norm);
      }
    }
    const ids = [...weighted.keys()].sort((a, b) => a - b);
    const topic = new Set([...fields.title, ...fields.section].map((term) => vocabulary.get(term)!));
    return {
      ...doc,
      termIds: Uint32Array.from(ids),
      topicIds: Uint32Array.from([...topic].sort((a, b) => a - b)),
      weightedTf: Float32Array.from(ids, (id) => weighted.get(id)!),
    };
  });

  const df = Uint32Array.from(dfCounts);
  const idf = Float64Array.from(dfCounts, (count) => inverseDocumentFrequency(docs.length, count));

  const db = create({ schema: oramaSchema, components: { tokenizer: createTokenizer() } });
  const inserted = insertMultiple(
    db,
    drafts.map((draft, i) => ({
      id: String(i),
      title: preanalyzed(draft.fields.title),
      section: preanalyzed(draft.fields.section),
      body: preanalyzed(draft.fields.body),
    })),
    1000,
  );
  if (inserted instanceof Promise) throw new Error('Orama insertMultiple went async: a component or hook is async');

  const glossaryNames = new Map<string, string>();
  let longestGlossaryName = 1;
  for (const term of kb.glossary) {
    for (const name of [term.term, ...term.aliases]) {
      const tokens = surfaceTokens(name);
      if (tokens.length === 0) continue;
      glossaryNames.set(tokens.join(' '), term.slug);
      longestGlossaryName = Math.max(longestGlossaryName, tokens.length);
    }
  }

  return {
    kb,
    db,
    docs,
    vocabulary,
    terms,
    idf,
    df,
    unseenIdf: inverseDocumentFrequency(docs.length, 0),
    surfaceWords,
    glossaryNames,
    longestGlossaryName,
  };
}

/** Position of a term id in a sorted id array (a doc's termIds by default), or -1. */
export function findTerm(doc: IndexedDoc, termId: number, ids: Uint32Array = doc.termIds): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = ids[mid]!;
    if (value === termId) return mid;
    if (value < termId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
