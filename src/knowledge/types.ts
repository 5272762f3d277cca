/** The knowledge base as the engine sees it: validated, resolved, plain data. */

export interface Site {
  publisher: string;
  site: string;
  baseUrl: string;
  disclaimer: string;
  basedOn?: string;
  /**
   * Words and phrases of subjects the site does not cover ("mortgage", "credit card"): a question that uses one is
   * left to the editors however well its other words match (false friends such as "option for a mortgage").
   */
  outOfScope: string[];
  /**
   * Members' words for what the knowledge base says otherwise ("tanks" -> "falls", "shorting" -> "selling short"):
   * a question using the key is read as using the value too (the words as typed still count).
   */
  synonyms: Record<string, string>;
}

export interface Passage {
  /** `<article slug>#<n>`, unique in the knowledge base. */
  id: string;
  articleSlug: string;
  /** The heading the passage sits under, if any. */
  section?: string;
  /** Plain text, whole sentences. */
  text: string;
}

export interface Article {
  slug: string;
  /** Path relative to the knowledge directory, for error messages. */
  file: string;
  title: string;
  /** YYYY-MM-DD */
  published: string;
  author: string;
  url: string;
  tags: string[];
  glossary: string[];
  /** Other ways members ask the title's question; searched, never shown. */
  asked: string[];
  basedOn?: string;
  passages: Passage[];
}

export interface GlossaryTerm {
  slug: string;
  file: string;
  term: string;
  aliases: string[];
  related: string[];
  /** The first paragraph of the body, as plain text. */
  definition: string;
  /** The whole body as plain text (definition included). */
  text: string;
  url: string;
}

export interface KnowledgeBase {
  dir: string;
  site: Site;
  articles: Article[];
  glossary: GlossaryTerm[];
  articleBySlug: Map<string, Article>;
  glossaryBySlug: Map<string, GlossaryTerm>;
}

/** One problem in one file; `field` is a dotted path into the front matter, or "body"/"file". */
export interface KnowledgeIssue {
  file: string;
  field: string;
  message: string;
}
