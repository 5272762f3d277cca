import type { Article, GlossaryTerm, KnowledgeBase } from '../knowledge/types.js';
import { formatCitation } from './citation.js';
import { buildExcerpt, fitSentences, markTerms } from './excerpt.js';
import type { SearchIndex } from './index.js';
import type { RankedResult } from './search.js';

export interface GlossaryRef {
  slug: string;
  term: string;
  definition: string;
  url: string;
}

export interface ArticleRef {
  slug: string;
  title: string;
  url: string;
}

/** Everything the Discord layer (or the CLI) needs to show an answer; no Discord types here. */
export interface Answer {
  kind: 'article' | 'glossary';
  slug: string;
  title: string;
  url: string;
  /** Whole sentences, matched words in **bold**, at most ~700 characters of text. */
  excerpt: string;
  section?: string;
  published?: string;
  author: string;
  citation: string;
  /** Always present: the site's risk disclaimer. */
  disclaimer: string;
  /** 0..1 */
  confidence: number;
  /** Glossary terms the article references (for a glossary answer: its related terms). */
  glossary: GlossaryRef[];
  /** "Keep reading": other articles on the same subject. */
  related: ArticleRef[];
}

export function glossaryRef(term: GlossaryTerm): GlossaryRef {
  return { slug: term.slug, term: term.term, definition: term.definition, url: term.url };
}

export function articleRef(article: Article): ArticleRef {
  return { slug: article.slug, title: article.title, url: article.url };
}

/** Articles sharing the most glossary terms and tags with this one, for "keep reading". */
export function relatedArticles(kb: KnowledgeBase, article: Article, limit = 3): ArticleRef[] {
  const terms = new Set(article.glossary);
  const tags = new Set(article.tags);
  return kb.articles
    .filter((other) => other.slug !== article.slug)
    .map((other) => ({
      other,
      overlap: other.glossary.filter((slug) => terms.has(slug)).length + 2 * other.tags.filter((tag) => tags.has(tag)).length,
    }))
    .filter(({ overlap }) => overlap > 0)
    .sort((a, b) => b.overlap - a.overlap || b.other.published.localeCompare(a.other.published))
    .slice(0, limit)
    .map(({ other }) => articleRef(other));
}

/** Articles whose `glossary` list names the term. */
export function articlesUsingTerm(kb: KnowledgeBase, slug: string): ArticleRef[] {
  return kb.articles.filter((article) => article.glossary.includes(slug)).map(articleRef);
}

export function composeAnswer(index: SearchIndex, result: RankedResult, confidence: number): Answer {
  const { kb } = index;
  const matchedTerms = new Set(result.best.matchedTermIds.map((id) => index.terms[id]!));
  const disclaimer = kb.site.disclaimer;
  if (result.kind === 'glossary') {
    const term = kb.glossaryBySlug.get(result.slug)!;
    return {
      kind: 'glossary',
      slug: term.slug,
      title: term.term,
      url: term.url,
      excerpt: markTerms(fitSentences([term.text.split('\n\n').slice(0, 2).join(' ')]), matchedTerms),
      author: kb.site.publisher,
      citation: formatCitation({ author: kb.site.publisher, title: term.term, site: kb.site.site, url: term.url }),
      disclaimer,
      confidence,
      glossary: term.related.map((slug) => glossaryRef(kb.glossaryBySlug.get(slug)!)),
      related: articlesUsingTerm(kb, term.slug).slice(0, 3),
    };
  }
  const article = kb.articleBySlug.get(result.slug)!;
  const passage = result.best.doc.passage!;
  const position = article.passages.indexOf(passage);
  const next = article.passages[position + 1];
  const following = next && next.section === passage.section ? next.text : undefined;
  return {
    kind: 'article',
    slug: article.slug,
    title: article.title,
    url: article.url,
    excerpt: buildExcerpt(passage.text, following, matchedTerms),
    ...(passage.section ? { section: passage.section } : {}),
    published: article.published,
    author: article.author,
    citation: formatCitation({ author: article.author, published: article.published, title: article.title, site: kb.site.site, url: article.url }),
    disclaimer,
    confidence,
    glossary: article.glossary.map((slug) => glossaryRef(kb.glossaryBySlug.get(slug)!)),
    related: relatedArticles(kb, article),
  };
}
