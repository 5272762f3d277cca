import MiniSearch from 'minisearch';
import { fitSentences, markTerms } from '../src/engine/excerpt.js';
import { isIndexable, stem, surfaceTokens } from '../src/engine/text.js';
import type { KnowledgeBase } from '../src/knowledge/types.js';

/**
 * Reference answer paths for the side-by-side bench (benchmark code, not product code). Each does the job of
 * Engine.ask: find the best passage or glossary entry for the question, and compose an excerpt of whole sentences
 * with the matched words in bold. No confidence rule, "related" lists or typo correction: they do less than the
 * engine, which makes them strict yardsticks for speed.
 */
export interface RefDoc {
  kind: 'article' | 'glossary';
  slug: string;
  title: string;
  section: string;
  text: string;
}

export interface RefAnswer {
  slug: string | null;
  excerpt: string;
}

export function referenceDocs(kb: KnowledgeBase): RefDoc[] {
  return [
    ...kb.articles.flatMap((article) =>
      article.passages.map((passage) => ({
        kind: 'article' as const,
        slug: article.slug,
        title: article.title,
        section: passage.section ?? '',
        text: passage.text,
      })),
    ),
    ...kb.glossary.map((term) => ({
      kind: 'glossary' as const,
      slug: term.slug,
      title: [term.term, ...term.aliases].join(', '),
      section: '',
      text: term.definition,
    })),
  ];
}

export function answerFrom(doc: RefDoc | undefined, terms: ReadonlySet<string>): RefAnswer {
  if (!doc) return { slug: null, excerpt: '' };
  return { slug: `${doc.kind}:${doc.slug}`, excerpt: markTerms(fitSentences([doc.text]), terms) };
}

/**
 * What a team would pick instead: MiniSearch 7 over the same passages, with title/section/body fields and the
 * engine's field weights as boosts (title 2, section 1.5), BM25 scoring, OR of the terms. It uses the engine's own
 * text analysis (tokens, stop words, English stemming) so the comparison is of the index and search, and matches
 * exact terms only (no prefix or fuzzy expansion: the engine does none either, except typo correction).
 */
export class MiniSearchAnswerer {
  private readonly search: MiniSearch<{ id: number }>;

  constructor(private readonly docs: RefDoc[]) {
    this.search = new MiniSearch<{ id: number }>({
      fields: ['title', 'section', 'text'],
      storeFields: [],
      tokenize: (text) => surfaceTokens(text),
      processTerm: (term) => (isIndexable(term) ? stem(term) : null),
    });
    this.search.addAll(docs.map((doc, id) => ({ id, title: doc.title, section: doc.section, text: doc.text })));
  }

  ask(question: string): RefAnswer {
    const hits = this.search.search(question, { boost: { title: 2, section: 1.5 }, combineWith: 'OR', prefix: false, fuzzy: false });
    const best = hits[0];
    return answerFrom(best ? this.docs[best.id as number] : undefined, new Set(best?.terms ?? []));
  }
}
