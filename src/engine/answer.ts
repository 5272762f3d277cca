/**
 * The answer object the Discord layer and the CLI show: excerpt, citation, disclaimer, glossary terms, keep reading.
 */
import type { Article, GlossaryTerm, KnowledgeBase } from '../knowledge/types.js';
import { formatCitation } from './citation.js';
import { phraseOf } from './text.js';
import { buildExcerpt, buildTwoPartExcerpt, fitSentences, markTerms } from './excerpt.js';
import type { SearchIndex } from './index.js';
import type { ScoredDoc } from './score.js';
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
  /** The heading of the (first) passage shown; absent for an article's lead and for glossary entries. */
  section?: string;
  /** Every passage shown, in order: its heading, or '(lead)' for the text before the article's first heading. */
  sections?: string[];
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

/** How `sections` names the text before an article's first heading. */
export const LEAD_SECTION = '(lead)';

export function glossaryRef(term: GlossaryTerm): GlossaryRef {
  return { slug: term.slug, term: term.term, definition: term.definition, url: term.url };
}

export function articleRef(article: Article): ArticleRef {
  return { slug: article.slug, title: article.title, url: article.url };
}

/**
 * Which articles use each glossary term and tag, built once per knowledge base. Why: "related" and "articles using
 * this term" used to scan every article on every answer, which the bench measured growing with the corpus
 * (O(articles) per answer; milliseconds at 10k+ passages). The lists below give the same results, same order.
 */
interface ArticleLinks {
  byGlossary: Map<string, number[]>;
  /** One entry per occurrence of the tag in an article (an article listing a tag twice counts twice, as before). */
  byTag: Map<string, number[]>;
}
const linksByKb = new WeakMap<KnowledgeBase, ArticleLinks>();

function articleLinks(kb: KnowledgeBase): ArticleLinks {
  let links = linksByKb.get(kb);
  if (!links) {
    links = { byGlossary: new Map(), byTag: new Map() };
    const add = (map: Map<string, number[]>, key: string, i: number) => {
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    };
    kb.articles.forEach((article, i) => {
      // article.glossary is de-duplicated by the reader, so one entry per article.
      for (const slug of article.glossary) add(links!.byGlossary, slug, i);
      for (const tag of article.tags) add(links!.byTag, tag, i);
    });
    linksByKb.set(kb, links);
  }
  return links;
}

/** How many related articles an answer lists. */
const RELATED_LIMIT = 3;

/**
 * Articles sharing the most glossary terms and tags with this one, for "keep reading". Remembered per article (an
 * answer's share of the bench profile); a copy is returned, so callers cannot change the memory.
 */
const relatedByArticle = new WeakMap<Article, ArticleRef[]>();
export function relatedArticles(kb: KnowledgeBase, article: Article): ArticleRef[] {
  let related = relatedByArticle.get(article);
  if (!related) relatedByArticle.set(article, (related = findRelatedArticles(kb, article)));
  return related.map((ref) => ({ ...ref }));
}

function findRelatedArticles(kb: KnowledgeBase, article: Article): ArticleRef[] {
  const links = articleLinks(kb);
  const overlap = new Map<number, number>();
  for (const slug of new Set(article.glossary)) {
    for (const i of links.byGlossary.get(slug) ?? []) overlap.set(i, (overlap.get(i) ?? 0) + 1);
  }
  for (const tag of new Set(article.tags)) {
    for (const i of links.byTag.get(tag) ?? []) overlap.set(i, (overlap.get(i) ?? 0) + 2);
  }
  return (
    [...overlap]
      .filter(([i, count]) => count > 0 && kb.articles[i]!.slug !== article.slug)
      // Article order first, so the stable sort below breaks ties as the former scan of kb.articles did.
      .sort((a, b) => a[0] - b[0])
      .map(([i, count]) => ({ other: kb.articles[i]!, overlap: count }))
      .sort((a, b) => b.overlap - a.overlap || b.other.published.localeCompare(a.other.published))
      .slice(0, RELATED_LIMIT)
      .map(({ other }) => articleRef(other))
  );
}

/**
 * Articles whose `glossary` list names the term, the articles most about it first: the term (or an alias) in the
 * title counts most, then in the tags, then in a heading; ties keep file order. Why: "keep reading" under "what is
 * vega" listed the first three articles by file name, not the vega article. Remembered per term (the order is a fact
 * of the knowledge base). The body text is not read: at 100k passages a term is used by thousands of articles, and
 * tokenising their passages made first answers take hundreds of milliseconds.
 */
const termArticlesByKb = new WeakMap<KnowledgeBase, Map<string, ArticleRef[]>>();
export function articlesUsingTerm(kb: KnowledgeBase, slug: string): ArticleRef[] {
  let byTerm = termArticlesByKb.get(kb);
  if (!byTerm) termArticlesByKb.set(kb, (byTerm = new Map()));
  let refs = byTerm.get(slug);
  if (!refs) {
    const term = kb.glossaryBySlug.get(slug);
    const names = term ? [term.term, ...term.aliases].map(phraseOf).filter((name) => name.length > 2) : [];
    const namedIn = (phrase: string) => (names.some((name) => phrase.includes(name)) ? 1 : 0);
    refs = (articleLinks(kb).byGlossary.get(slug) ?? [])
      .map((i) => kb.articles[i]!)
      .map((article) => {
        const topic = topicPhrasesOf(article);
        return { article, about: 4 * namedIn(topic.title) + 2 * namedIn(topic.tags) + namedIn(topic.headings) };
      })
      .sort((a, b) => b.about - a.about)
      .map(({ article }) => articleRef(article));
    byTerm.set(slug, refs);
  }
  return refs.map((ref) => ({ ...ref }));
}

/** An article's title, tags and headings as word phrases (phraseOf), made once per article. */
const topicPhrases = new WeakMap<Article, { title: string; tags: string; headings: string }>();
function topicPhrasesOf(article: Article): { title: string; tags: string; headings: string } {
  let phrases = topicPhrases.get(article);
  if (!phrases) {
    const headings = [...new Set(article.passages.map((passage) => passage.section ?? ''))];
    phrases = { title: phraseOf(article.title), tags: article.tags.map(phraseOf).join('|'), headings: headings.map(phraseOf).join('|') };
    topicPhrases.set(article, phrases);
  }
  return phrases;
}

export function composeAnswer(index: SearchIndex, result: RankedResult, confidence: number, second?: ScoredDoc): Answer {
  const { kb } = index;
  const matchedTerms = new Set(result.matchedTermIds.map((id) => index.terms[id]!));
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
  const secondPassage = second?.doc.passage;
  return {
    kind: 'article',
    slug: article.slug,
    title: article.title,
    url: article.url,
    excerpt: secondPassage ? buildTwoPartExcerpt(passage, secondPassage, matchedTerms) : buildExcerpt(passage.text, following, matchedTerms),
    ...(passage.section ? { section: passage.section } : {}),
    sections: [passage, ...(secondPassage ? [secondPassage] : [])].map((shown) => shown.section ?? LEAD_SECTION),
    published: article.published,
    author: article.author,
    citation: formatCitation({ author: article.author, published: article.published, title: article.title, site: kb.site.site, url: article.url }),
    disclaimer,
    confidence,
    glossary: article.glossary.map((slug) => glossaryRef(kb.glossaryBySlug.get(slug)!)),
    related: relatedArticles(kb, article),
  };
}
