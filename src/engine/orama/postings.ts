/**
 * Orama's index read directly at query time (see OramaPostings), and Orama's IDF formula, which our statistics share.
 * Written against @orama/orama 3.1.18 (pinned); tests/engine/orama.test.ts fails loudly if its internals change.
 */
import { count } from '@orama/orama';
import { RELEVANCE } from '../relevance.js';
import { termToken, type PassageDb } from './build.js';

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
 * (radix.js findAllWords), and it fetches documents we never read. `findCandidates` (candidates.ts) computes the very
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
    /** term id -> its postings in this field, looked up once (see termPostings); null: none */
    byTerm: Map<number, TermPostings | null>;
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

/** A term's documents in one field (Orama's own set) and Orama's IDF of the term in that field. */
export interface TermPostings {
  docIds: Set<number>;
  idf: number;
}

/**
 * A term's postings in a field, looked up in Orama's radix tree on first use and then by term id. Why: building
 * the token string, walking the tree and computing the IDF for every question term and field was a large part of
 * candidate retrieval in the bench profile, and the index never changes once built (a reload builds a new one).
 * Orama's sets are kept, not copied: with typed-array copies, one full bench run gave an answer p99 of 88 ms at
 * 100k passages (long lists copied, then garbage), against 20 ms with the sets kept. One map entry per term seen,
 * at most the vocabulary.
 */
export function termPostings(postings: OramaPostings, field: OramaPostings['fields'][number], term: string, termId: number): TermPostings | null {
  let cached = field.byTerm.get(termId);
  if (cached !== undefined) return cached;
  const token = termToken(term);
  const docIds = postingsOf(field.root, token);
  const matching = field.occurrences[token] ?? 0;
  cached = docIds && docIds.size > 0 ? { docIds, idf: inverseDocumentFrequency(postings.docsCount, matching) } : null;
  field.byTerm.set(termId, cached);
  return cached;
}

/** Reads Orama's index structures, or returns null (and search falls back to Orama's own search) if they differ. */
export function oramaPostings(db: PassageDb, docCount: number): OramaPostings | null {
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
    fields.push({ root: tree.node, tf, lengthNorm, occurrences, byTerm: new Map() });
  }
  return { fields, docsCount: count(db), scores: new Float64Array(docCount + 1), touched: new Uint32Array(docCount + 1) };
}

export function inverseDocumentFrequency(docCount: number, docFrequency: number): number {
  return Math.log(1 + (docCount - docFrequency + 0.5) / (docFrequency + 0.5));
}
