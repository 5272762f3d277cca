import { components, count, create, insertMultiple, type Orama, type Tokenizer } from '@orama/orama';
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

/**
 * Orama's default index component, with one method replaced. Why: its insertTokenScoreParameters counts a token's
 * frequency by scanning all the field's tokens for every token (quadratic per field; the top self-time entry of a
 * cold start in the bench profile). Our tokenizer emits each token once per field, so the count is 1 and the value
 * stored is the one Orama would compute: 1 / number of tokens.
 */
function createIndexComponent(): ReturnType<typeof components.index.createIndex> {
  const base = components.index.createIndex();
  return {
    ...base,
    insertTokenScoreParameters(index, prop, id, tokens, token) {
      const internalId = id as number;
      index.frequencies[prop]![internalId]![token] = 1 / tokens.length;
      const occurrences = index.tokenOccurrences[prop]!;
      occurrences[token] = (occurrences[token] ?? 0) + 1;
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
  /**
   * The same words grouped by first character, in the same order. Why: typo correction only considers words with
   * the question word's first letter, and scanning every surface word per unknown word grew with the corpus.
   */
  surfaceWordsByInitial: Map<string, Array<[string, number]>>;
  /** Surface phrase of every glossary term and alias ("a/d line", "iv") -> glossary slug. */
  glossaryNames: Map<string, string>;
  longestGlossaryName: number;
  /** Direct read access to Orama's own index for candidate retrieval (see OramaPostings); null if its shape changed. */
  postings: OramaPostings | null;
}

/** The parts of an Orama 3.1 radix node we read: children by first character, edge label, word end, word, doc ids. */
export interface RadixNodeShape {
  c: Map<string, RadixNodeShape>;
  s: string;
  e: boolean;
  w: string;
  d: Set<number>;
}

/**
 * Orama's index, read directly at query time. Why: profiling `npm run bench` showed Orama's search pipeline, not its
 * index, to be most of the answer time: per matched document it allocates a Map (keywordMatchesMap), it sorts every
 * matching document twice although we keep 150, it copies posting lists with a quadratic `Array.includes` dedupe
 * (radix.js findAllWords), and it fetches documents we never read. `findCandidates` (search.ts) computes the very
 * same Orama BM25 scores from these structures, in the same order, and keeps the same top N (score, then internal
 * id, as Orama's sortTokenScorePredicate), so the candidates are identical; Orama still builds and owns the index.
 */
export interface OramaPostings {
  fields: Array<{
    root: RadixNodeShape;
    /** internal id -> Orama's tf of any token of the field: 1 / number of tokens (tokens are unique per field) */
    tf: Float64Array;
    /** internal id -> k * (1 - b + b * length / average length), the length part of Orama's BM25 denominator */
    lengthNorm: Float64Array;
    /** token -> number of documents with the token in this field (Orama's tokenOccurrences) */
    occurrences: Record<string, number>;
  }>;
  docsCount: number;
  /** Scratch space reused by every query (no per-query allocation of corpus-sized arrays); queries are synchronous. */
  scores: Float64Array;
  touched: Uint32Array;
}

export const SEARCH_FIELDS = ['title', 'section', 'body'] as const;

/** Orama's posting set of one exact token (a term with its TERM_END), or undefined. */
export function postingsOf(root: RadixNodeShape, token: string): Set<number> | undefined {
  let node = root;
  let i = 0;
  while (i < token.length) {
    const child = node.c.get(token[i]!);
    if (!child || !token.startsWith(child.s, i)) return undefined;
    node = child;
    i += child.s.length;
  }
  return node.e && node.w === token ? node.d : undefined;
}

export function termToken(term: string): string {
  return term + TERM_END;
}

/** Reads Orama's index structures, or returns null (and search falls back to Orama's own search) if they differ. */
function oramaPostings(db: PassageDb, docCount: number): OramaPostings | null {
  const index = (db as unknown as { data: { index: Record<string, Record<string, unknown>> } }).data?.index;
  const store = (db as unknown as { internalDocumentIDStore?: { internalIdToId?: string[] } }).internalDocumentIDStore;
  if (!index || !store?.internalIdToId || store.internalIdToId.length !== docCount) return null;
  // Internal id i + 1 must be our doc i (insertion order), as the fast path maps ids without Orama's store.
  for (let i = 0; i < docCount; i++) if (store.internalIdToId[i] !== String(i)) return null;
  const fields: OramaPostings['fields'] = [];
  for (const field of SEARCH_FIELDS) {
    const tree = index.indexes?.[field] as { type?: string; node?: RadixNodeShape } | undefined;
    const lengths = index.fieldLengths?.[field] as Record<number, number> | undefined;
    const avgLength = index.avgFieldLength?.[field];
    const occurrences = index.tokenOccurrences?.[field] as Record<string, number> | undefined;
    if (tree?.type !== 'Radix' || !(tree.node?.c instanceof Map) || !lengths || typeof avgLength !== 'number' || !occurrences) return null;
    const { k, b } = RELEVANCE.oramaRelevance;
    // Computed with the operations of Orama's BM25 (algorithms.js), in its order, so every score is bit-identical.
    const tf = Float64Array.from({ length: docCount + 1 }, (_, id) => 1 / (lengths[id] ?? 0));
    const lengthNorm = Float64Array.from({ length: docCount + 1 }, (_, id) => k * (1 - b + (b * (lengths[id] ?? 0)) / avgLength));
    fields.push({ root: tree.node, tf, lengthNorm, occurrences });
  }
  // Orama keeps, per document and field, an object of token -> tf, which with our tokenizer (each token once per
  // field) is always 1 / field length: 27 of 89 MB of heap at 10k passages in the bench, a third of the index.
  // Only Orama's own search reads it (the fallback and the bench's equivalence check), so it is replaced by a view
  // that computes the same value: documents are looked up only for tokens they contain.
  SEARCH_FIELDS.forEach((field, i) => {
    const tf = fields[i]!.tf;
    const view = new Proxy({} as Record<string, Record<string, number>>, {
      get: (_, id) => (typeof id === 'symbol' ? undefined : new Proxy({}, { get: () => tf[Number(id)] })),
    });
    (index.frequencies as Record<string, unknown>)[field] = view;
  });
  return { fields, docsCount: count(db), scores: new Float64Array(docCount + 1), touched: new Uint32Array(docCount + 1) };
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

  const surfaceWordsByInitial = new Map<string, Array<[string, number]>>();
  for (const entry of surfaceWords) {
    const list = surfaceWordsByInitial.get(entry[0][0]!);
    if (list) list.push(entry);
    else surfaceWordsByInitial.set(entry[0][0]!, [entry]);
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

  const db = create({ schema: oramaSchema, components: { tokenizer: createTokenizer(), index: createIndexComponent() } });
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
    surfaceWordsByInitial,
    glossaryNames,
    longestGlossaryName,
    postings: oramaPostings(db, drafts.length),
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
