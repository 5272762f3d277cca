/**
 * Every read or patch of Orama's internals at build time: our tokenizer (pre-analysed text, an end marker so no
 * prefix expansion), Orama's index component with lighter score parameters, and the passage database's schema.
 * Written against @orama/orama 3.1.18 (pinned); tests/engine/orama.test.ts fails loudly if its internals change.
 */
import { components, type Orama, type Tokenizer } from '@orama/orama';
import { analyze } from '../text.js';

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

/**
 * The value of every field of a document handed to Orama at build time. Why: building a pre-analysed string per
 * field only for the tokenizer to split it again cost time and memory (Orama's document store kept the strings: at
 * 100k passages all the documents' words a second time). buildSearchIndex sets the document's tokens, field by
 * field, in `pending` right before each insert; Orama's document store keeps only this one shared character.
 */
export const BUILT = '\u0002';

export interface PendingTokens {
  /** Orama tokens (unique, first occurrence first) of the document being inserted, by field; null otherwise. */
  fields: Record<string, string[]> | null;
}

/** Our tokenizer for Orama: pre-analysed strings are split; anything else goes through `analyze`. */
export function createTokenizer(pending: PendingTokens): Tokenizer {
  return {
    language: 'english',
    normalizationCache: new Map(),
    tokenize(raw: string, _language?: string, prop?: string): string[] {
      if (raw === BUILT && pending.fields && prop !== undefined) return pending.fields[prop] ?? [];
      const terms = raw.startsWith(PREANALYZED) ? raw.slice(1).split(' ').filter(Boolean) : analyze(raw);
      // One token per distinct term: Orama's score is then an IDF-weighted count of matched terms (see RELEVANCE).
      return [...new Set(terms)].map((term) => term + TERM_END);
    },
  };
}

type OramaIndexComponent = ReturnType<typeof components.index.createIndex>;
type OramaIndex = ReturnType<OramaIndexComponent['create']>;

/**
 * Orama keeps, per document and field, an object of token -> tf. With our tokenizer (each token once per field) that
 * is always 1 / field length: 27 of 89 MB of heap at 10k passages in the bench, and at 100k passages the largest
 * transient of the build (hundreds of thousands of dictionary-mode objects, garbage as soon as the build ends, that
 * held the heap, and so RSS, high). Only Orama's own search reads it (the fallback and the bench's equivalence
 * check): a view computes the same value, `1 / length`, from Orama's own field lengths. Documents are looked up
 * only for tokens they contain.
 */
function termFrequencyView(index: OramaIndex, prop: string): Record<number, Record<string, number>> {
  return new Proxy({} as Record<number, Record<string, number>>, {
    get: (_, id) => {
      if (typeof id === 'symbol') return undefined;
      const tf = 1 / (index.fieldLengths[prop]![Number(id)] ?? 0);
      return new Proxy({}, { get: () => tf });
    },
  });
}

/**
 * Orama's default index component, with the score parameters replaced. Why: its insertTokenScoreParameters counts a
 * token's frequency by scanning all the field's tokens for every token (quadratic per field; the top self-time entry
 * of a cold start in the bench profile), then stores it in a per-document object (see termFrequencyView). Our
 * tokenizer emits each token once per field, so the count is 1 and the value is 1 / number of tokens, which the
 * view computes; field lengths, average length and token occurrences are stored exactly as Orama stores them.
 */
export function createIndexComponent(): OramaIndexComponent {
  const base = components.index.createIndex();
  return {
    ...base,
    create(...args: Parameters<OramaIndexComponent['create']>) {
      const index = base.create(...args);
      for (const prop of Object.keys(index.frequencies)) index.frequencies[prop] = termFrequencyView(index, prop);
      return index;
    },
    insertDocumentScoreParameters(index, prop, id, tokens, docsCount) {
      // Orama's own computation, in its order (the average is bit-identical), without the per-document tf object.
      const internalId = id as number;
      index.avgFieldLength[prop] = ((index.avgFieldLength[prop] ?? 0) * (docsCount - 1) + tokens.length) / docsCount;
      index.fieldLengths[prop]![internalId] = tokens.length;
    },
    insertTokenScoreParameters(index, prop, _id, _tokens, token) {
      const occurrences = index.tokenOccurrences[prop]!;
      occurrences[token] = (occurrences[token] ?? 0) + 1;
    },
  };
}

export const oramaSchema = { title: 'string', section: 'string', body: 'string' } as const;
export type PassageDb = Orama<typeof oramaSchema>;

export function termToken(term: string): string {
  return term + TERM_END;
}
