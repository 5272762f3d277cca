/**
 * The search index of a knowledge base: every passage and glossary entry with its term ids and BM25F weights, the
 * vocabulary and IDF, glossary names, the articles' phrasings; and Orama's index, built alongside (orama/).
 */
import { create, insert } from '@orama/orama';
import type { KnowledgeBase, Passage } from '../knowledge/types.js';
import { RELEVANCE } from './relevance.js';
import { BUILT, createIndexComponent, createTokenizer, oramaSchema, termToken, type PassageDb, type PendingTokens } from './orama/build.js';
import { inverseDocumentFrequency, oramaPostings, type OramaPostings } from './orama/postings.js';
import type { TimeSlicer } from '../slices.js';
import { analyze, isIndexable, stem, surfaceTokens } from './text.js';

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
  /** For an article passage: its article's `asked` phrasings, a field shared by all its passages; else null. */
  asked: AskedField | null;
}

/**
 * An article's `asked` phrasings as one BM25F field of each of its passages (RELEVANCE.askedField), kept once per
 * article. They are not in Orama, not in the document frequency and not in the passage's own terms: they help rank
 * the passage, but say nothing of what it says (see scoreDoc's coverage).
 */
export interface AskedField {
  /** 0..n-1 over the articles with phrasings (scratch arrays of a question are indexed by it). */
  ordinal: number;
  /** Sorted distinct term ids. */
  termIds: Uint32Array;
  /** BM25F pseudo term frequency of each (count, field weight and length normalisation applied). */
  weightedTf: Float32Array;
}

/** One phrasing of an article's question by members: its distinct term ids (sorted) and their IDF sum. */
export interface AskedPhrasing {
  slug: string;
  termIds: Uint32Array;
  mass: number;
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
  /** First word of a glossary name -> the most words of a name starting with it (names are looked up from there). */
  longestGlossaryNameFrom: Map<string, number>;
  /** site.yaml's synonyms: a member's phrase (surface tokens joined by spaces) -> the knowledge base's words. */
  synonyms: Map<string, string[]>;
  /** First token of a synonym's phrase -> the longest such phrase, in tokens. */
  longestSynonymFrom: Map<string, number>;
  /** Every phrasing of every article's `asked` list, for question-to-question matching (askedMatch in asked.ts). */
  asked: AskedPhrasing[];
  /**
   * article slug -> its title as a phrasing: the editors' way of asking the article's question, matched like the
   * members' phrasings but only for the articles a question already ranks (titlePhrasingMatch in asked.ts).
   */
  titlePhrasings: Map<string, AskedPhrasing>;
  /** term id -> indexes into `asked` of the phrasings with that term */
  askedByTerm: Map<number, number[]>;
  /** article slug -> indexes into `docs` of its passages */
  docsOfArticle: Map<string, number[]>;
  /** Number of articles with an `asked` field (AskedField.ordinal is below it). */
  askedFieldCount: number;
  /** Direct read access to Orama's own index for candidate retrieval (see OramaPostings); null if its shape changed. */
  postings: OramaPostings | null;
}

type FieldName = keyof typeof RELEVANCE.fields;
const FIELDS = Object.keys(RELEVANCE.fields) as FieldName[];
/** The fields that say what a document is about (topicIds). */
const TOPIC_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>(['title', 'section']);

/** A growable Uint32Array: the term ids of every document, field after field, while the index is built. */
class IdBuffer {
  data = new Uint32Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** Index terms of surface tokens (as `analyze` makes them); the indexable tokens are counted in `surfaceWords`. */
function termsCounting(tokens: string[], surfaceWords: Map<string, number> | null): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    if (!isIndexable(token)) continue;
    if (surfaceWords) surfaceWords.set(token, (surfaceWords.get(token) ?? 0) + 1);
    terms.push(stem(token));
  }
  return terms;
}

/**
 * Builds the Orama index and the statistics the re-scorer and the confidence rule need.
 *
 * One pass over the documents analyses each text once (index terms and typo-correction words come from the same
 * surface tokens), turns terms into ids and inserts the document into Orama right away; a second pass, once the
 * average field lengths are known, computes each document's BM25F weights from the ids. Why: holding every
 * document's per-field string arrays, and Orama's pre-analysed strings, until the end set the build's memory peak
 * (and so the RSS) at 100k passages; and each text was tokenised twice.
 */
export function buildSearchIndex(kb: KnowledgeBase): SearchIndex {
  const steps = searchIndexSteps(kb);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** buildSearchIndex in slices of the slicer's budget, letting the event loop run in between (a reload in a bot). */
export async function buildSearchIndexInSlices(kb: KnowledgeBase, slicer: TimeSlicer): Promise<SearchIndex> {
  const steps = searchIndexSteps(kb);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const pause = slicer.due();
    if (pause) await pause;
  }
}

/** The build, one article (or glossary entry) per step; the caller decides whether to pause between steps. */
function* searchIndexSteps(kb: KnowledgeBase): Generator<void, SearchIndex, void> {
  const docCount = kb.articles.reduce((sum, article) => sum + article.passages.length, 0) + kb.glossary.length;
  const vocabulary = new Map<string, number>();
  const terms: string[] = [];
  /** id -> Orama token (term + TERM_END), made once per term */
  const tokens: string[] = [];
  const dfCounts: number[] = [];
  /** id -> last document (df), last document and field (Orama tokens), last document (topic terms) that saw it */
  const seenInDoc: number[] = [];
  const seenInField: number[] = [];
  const seenInTopic: number[] = [];
  const avgLength = Object.fromEntries(FIELDS.map((field) => [field, 0])) as Record<FieldName, number>;
  const surfaceWords = new Map<string, number>();
  const ids = new IdBuffer();
  /** Start of document d's field f in `ids` at [d * FIELDS.length + f]; the end of all at [docCount * FIELDS.length]. */
  const fieldStart = new Uint32Array(docCount * FIELDS.length + 1);
  const distinctTerms = new Uint32Array(docCount);
  const distinctTopicTerms = new Uint32Array(docCount);

  const pending: PendingTokens = { fields: null };
  const db = create({ schema: oramaSchema, components: { tokenizer: createTokenizer(pending), index: createIndexComponent() } });
  const fieldTokens: Record<string, string[]> = {};
  let doc = 0;

  const idOf = (term: string): number => {
    let id = vocabulary.get(term);
    if (id === undefined) {
      id = terms.length;
      vocabulary.set(term, id);
      terms.push(term);
      tokens.push(termToken(term));
      dfCounts.push(0);
      seenInDoc.push(-1);
      seenInField.push(-1);
      seenInTopic.push(-1);
    }
    return id;
  };

  const addDoc = (fields: Record<FieldName, string[]>) => {
    FIELDS.forEach((field, f) => {
      const list = fields[field];
      fieldStart[doc * FIELDS.length + f] = ids.length;
      avgLength[field] += list.length / Math.max(1, docCount);
      const stamp = doc * FIELDS.length + f;
      const topic = TOPIC_FIELDS.has(field);
      const unique: string[] = [];
      for (const term of list) {
        const id = idOf(term);
        ids.push(id);
        if (seenInDoc[id] !== doc) {
          seenInDoc[id] = doc;
          dfCounts[id]!++;
          distinctTerms[doc]!++;
        }
        if (topic && seenInTopic[id] !== doc) {
          seenInTopic[id] = doc;
          distinctTopicTerms[doc]!++;
        }
        if (seenInField[id] !== stamp) {
          seenInField[id] = stamp;
          unique.push(tokens[id]!);
        }
      }
      fieldTokens[field] = unique;
    });
    pending.fields = fieldTokens;
    const inserted = insert(db, { id: String(doc), title: BUILT, section: BUILT, body: BUILT });
    pending.fields = null;
    if (inserted instanceof Promise) throw new Error('Orama insert went async: a component or hook is async');
    doc++;
  };

  const asked: AskedPhrasing[] = [];
  /** article slug -> term ids of its phrasings, one per occurrence */
  const askedIdsOf = new Map<string, number[]>();
  const titlePhrasings = new Map<string, AskedPhrasing>();
  let askedLengthSum = 0;
  for (const article of kb.articles) {
    const titleTokens = surfaceTokens(article.title);
    const titleTerms = termsCounting(titleTokens, null);
    const tagTerms = article.tags.flatMap(analyze);
    for (const passage of article.passages) {
      // Typo-correction words are counted per passage, title first, then heading, then text (as they read).
      termsCounting(titleTokens, surfaceWords);
      const sectionTerms = termsCounting(surfaceTokens(passage.section ?? ''), surfaceWords);
      const bodyTerms = termsCounting(surfaceTokens(passage.text), surfaceWords);
      addDoc({ title: titleTerms, section: [...sectionTerms, ...tagTerms], body: bodyTerms });
    }
    titlePhrasings.set(article.slug, { slug: article.slug, termIds: Uint32Array.from(new Set(titleTerms.map(idOf))).sort(), mass: 0 });
    if (article.asked.length > 0) {
      const occurrences: number[] = [];
      for (const phrasing of article.asked) {
        // Members' words join the vocabulary, so a word only they use ("bleeds") is read as typed rather than
        // "corrected" into a knowledge word; they are no targets of typo correction (its words stay the knowledge's).
        const phrasingIds = analyze(phrasing).map(idOf);
        occurrences.push(...phrasingIds);
        if (phrasingIds.length > 0) asked.push({ slug: article.slug, termIds: Uint32Array.from(new Set(phrasingIds)).sort(), mass: 0 });
      }
      askedIdsOf.set(article.slug, occurrences);
      askedLengthSum += occurrences.length * article.passages.length;
    }
    yield;
  }
  for (const term of kb.glossary) {
    termsCounting(surfaceTokens(term.term), surfaceWords);
    termsCounting(surfaceTokens(term.definition), surfaceWords);
    // Aliases are names of the term, so they weigh as the title does.
    addDoc({ title: [term.term, ...term.aliases].flatMap(analyze), section: [], body: analyze(term.text) });
    yield;
  }
  fieldStart[docCount * FIELDS.length] = ids.length;

  const surfaceWordsByInitial = new Map<string, Array<[string, number]>>();
  for (const entry of surfaceWords) {
    const list = surfaceWordsByInitial.get(entry[0][0]!);
    if (list) list.push(entry);
    else surfaceWordsByInitial.set(entry[0][0]!, [entry]);
  }

  // Every document's arrays are views into three shared buffers (no ArrayBuffer, backing store and malloc per array).
  const termPool = new Uint32Array(distinctTerms.reduce((sum, n) => sum + n, 0));
  const tfPool = new Float32Array(termPool.length);
  const topicPool = new Uint32Array(distinctTopicTerms.reduce((sum, n) => sum + n, 0));
  const weights = new Float64Array(terms.length);
  const weightedIn = new Int32Array(terms.length).fill(-1);
  const topicIn = new Int32Array(terms.length).fill(-1);
  let termOffset = 0;
  let topicOffset = 0;
  doc = 0;
  const docArrays = (): Pick<IndexedDoc, 'termIds' | 'topicIds' | 'weightedTf'> => {
    const termIds = termPool.subarray(termOffset, termOffset + distinctTerms[doc]!);
    const topicIds = topicPool.subarray(topicOffset, topicOffset + distinctTopicTerms[doc]!);
    const weightedTf = tfPool.subarray(termOffset, termOffset + termIds.length);
    let termCount = 0;
    let topicCount = 0;
    FIELDS.forEach((field, f) => {
      const start = fieldStart[doc * FIELDS.length + f]!;
      const end = fieldStart[doc * FIELDS.length + f + 1]!;
      const { weight, b } = RELEVANCE.fields[field];
      const norm = 1 - b + (b * (end - start)) / Math.max(avgLength[field], 1e-9);
      const topic = TOPIC_FIELDS.has(field);
      for (let i = start; i < end; i++) {
        const id = ids.data[i]!;
        if (weightedIn[id] !== doc) {
          weightedIn[id] = doc;
          weights[id] = 0;
          termIds[termCount++] = id;
        }
        weights[id] = weights[id]! + weight / norm;
        if (topic && topicIn[id] !== doc) {
          topicIn[id] = doc;
          topicIds[topicCount++] = id;
        }
      }
    });
    termIds.sort();
    topicIds.sort();
    for (let i = 0; i < termIds.length; i++) weightedTf[i] = weights[termIds[i]!]!;
    termOffset += termIds.length;
    topicOffset += topicIds.length;
    doc++;
    return { termIds, topicIds, weightedTf };
  };

  const askedFields = askedFieldsOf(askedIdsOf, askedLengthSum, docCount);

  const docs: IndexedDoc[] = [];
  for (const article of kb.articles) {
    const askedField = askedFields.get(article.slug) ?? null;
    for (const passage of article.passages) {
      docs.push({
        kind: 'article',
        slug: article.slug,
        title: article.title,
        ...(passage.section ? { section: passage.section } : {}),
        text: passage.text,
        passage,
        ...docArrays(),
        asked: askedField,
      });
    }
    yield;
  }
  for (const term of kb.glossary) {
    docs.push({ kind: 'glossary', slug: term.slug, title: term.term, text: term.definition, ...docArrays(), asked: null });
    yield;
  }

  const docsOfArticle = new Map<string, number[]>();
  docs.forEach((doc, i) => {
    if (doc.kind !== 'article') return;
    const list = docsOfArticle.get(doc.slug);
    if (list) list.push(i);
    else docsOfArticle.set(doc.slug, [i]);
  });

  const df = Uint32Array.from(dfCounts);
  const idf = Float64Array.from(dfCounts, (count) => inverseDocumentFrequency(docs.length, count));
  for (const phrasing of titlePhrasings.values()) for (const id of phrasing.termIds) phrasing.mass += idf[id]!;
  const askedByTerm = weighAskedPhrasings(asked, idf);

  const glossaryNames = new Map<string, string>();
  const longestGlossaryNameFrom = new Map<string, number>();
  for (const term of kb.glossary) {
    for (const name of [term.term, ...term.aliases]) {
      const tokens = surfaceTokens(name);
      if (tokens.length === 0) continue;
      glossaryNames.set(tokens.join(' '), term.slug);
      longestGlossaryNameFrom.set(tokens[0]!, Math.max(longestGlossaryNameFrom.get(tokens[0]!) ?? 0, tokens.length));
    }
  }

  const synonyms = new Map<string, string[]>();
  const longestSynonymFrom = new Map<string, number>();
  for (const [from, to] of Object.entries(kb.site.synonyms)) {
    const tokens = surfaceTokens(from);
    const target = surfaceTokens(to);
    if (tokens.length === 0 || target.length === 0) continue;
    synonyms.set(tokens.join(' '), target);
    longestSynonymFrom.set(tokens[0]!, Math.max(longestSynonymFrom.get(tokens[0]!) ?? 0, tokens.length));
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
    longestGlossaryNameFrom,
    synonyms,
    longestSynonymFrom,
    asked,
    askedByTerm,
    docsOfArticle,
    titlePhrasings,
    askedFieldCount: askedFields.size,
    postings: oramaPostings(db, docCount),
  };
}

/** Each article's `asked` field, its length normalisation as for a field of every passage (its average over all documents). */
function askedFieldsOf(askedIdsOf: ReadonlyMap<string, number[]>, askedLengthSum: number, docCount: number): Map<string, AskedField> {
  const askedFields = new Map<string, AskedField>();
  const { weight: askedWeight, b: askedB } = RELEVANCE.askedField;
  for (const [slug, occurrences] of askedIdsOf) {
    const norm = 1 - askedB + (askedB * occurrences.length) / Math.max(askedLengthSum / Math.max(1, docCount), 1e-9);
    const counts = new Map<number, number>();
    for (const id of occurrences) counts.set(id, (counts.get(id) ?? 0) + 1);
    const termIds = Uint32Array.from(counts.keys()).sort();
    askedFields.set(slug, { ordinal: askedFields.size, termIds, weightedTf: Float32Array.from(termIds, (id) => (counts.get(id)! * askedWeight) / norm) });
  }
  return askedFields;
}

/** Sets each phrasing's IDF mass; returns term id -> indexes into `asked` of the phrasings with that term. */
function weighAskedPhrasings(asked: AskedPhrasing[], idf: Float64Array): Map<number, number[]> {
  const askedByTerm = new Map<number, number[]>();
  asked.forEach((phrasing, p) => {
    for (const id of phrasing.termIds) {
      phrasing.mass += idf[id]!;
      const list = askedByTerm.get(id);
      if (list) list.push(p);
      else askedByTerm.set(id, [p]);
    }
  });
  return askedByTerm;
}

/**
 * The index with more `asked` phrasings for some articles (article slug -> phrasings), as if the knowledge files
 * listed them after their own: the same phrasing list (askedMatch) and the same BM25F field, every article's field
 * normalised again over the new total. Nothing of `base` changes and everything else is shared, so this takes
 * milliseconds where a build takes seconds: the editors' learned phrasings are applied this way at once. Words
 * only the new phrasings use join the vocabulary (as members' words do in a build: read as typed, never corrected
 * to), with no document frequency. Slugs of no article are ignored (the caller reports them).
 */
export function withAskedPhrasings(base: SearchIndex, extra: ReadonlyMap<string, readonly string[]>): SearchIndex {
  if (extra.size === 0) return base;
  const docCount = base.docs.length;
  let vocabulary = base.vocabulary;
  let terms = base.terms;
  const idOf = (term: string): number => {
    let id = vocabulary.get(term);
    if (id === undefined) {
      // Copied on the first new word: the base index (and any engine serving it) keeps its own vocabulary.
      if (vocabulary === base.vocabulary) {
        vocabulary = new Map(base.vocabulary);
        terms = base.terms.slice();
      }
      id = terms.length;
      vocabulary.set(term, id);
      terms.push(term);
    }
    return id;
  };

  const asked: AskedPhrasing[] = [];
  const askedIdsOf = new Map<string, number[]>();
  let askedLengthSum = 0;
  for (const article of base.kb.articles) {
    const more = extra.get(article.slug) ?? [];
    if (article.asked.length + more.length === 0) continue;
    const occurrences: number[] = [];
    for (const phrasing of [...article.asked, ...more]) {
      const phrasingIds = analyze(phrasing).map(idOf);
      occurrences.push(...phrasingIds);
      if (phrasingIds.length > 0) asked.push({ slug: article.slug, termIds: Uint32Array.from(new Set(phrasingIds)).sort(), mass: 0 });
    }
    askedIdsOf.set(article.slug, occurrences);
    askedLengthSum += occurrences.length * article.passages.length;
  }

  let { idf, df } = base;
  if (terms !== base.terms) {
    idf = new Float64Array(terms.length).fill(base.unseenIdf);
    idf.set(base.idf);
    df = new Uint32Array(terms.length);
    df.set(base.df);
  }
  const askedFields = askedFieldsOf(askedIdsOf, askedLengthSum, docCount);
  const docs = base.docs.slice();
  for (const [slug, indexes] of base.docsOfArticle) {
    const field = askedFields.get(slug) ?? null;
    for (const i of indexes) if (docs[i]!.asked !== field) docs[i] = { ...docs[i]!, asked: field };
  }
  const askedByTerm = weighAskedPhrasings(asked, idf);
  return { ...base, vocabulary, terms, idf, df, docs, asked, askedByTerm, askedFieldCount: askedFields.size };
}

/** Position of a term id in a sorted id array (a doc's termIds by default), or -1. */
export function findTerm(doc: { termIds: Uint32Array }, termId: number, ids: Uint32Array = doc.termIds): number {
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
