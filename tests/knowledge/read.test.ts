import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeError, formatIssue, loadKnowledgeBase, readKnowledgeBase } from '../../src/knowledge/read.js';
import type { KnowledgeBase, KnowledgeIssue } from '../../src/knowledge/types.js';
import { FIXTURE_KB, FIXTURE_SITE, fixtureCopy, md, tempKb } from '../fixtures/kb.js';

/** Reads a copy of the fixture with `changes` applied and returns the problems found. */
async function issuesOf(changes: Record<string, string | null>): Promise<{ kb: KnowledgeBase | null; issues: KnowledgeIssue[] }> {
  const copy = await fixtureCopy(changes);
  try {
    return await readKnowledgeBase(copy.dir);
  } finally {
    await copy.cleanup();
  }
}

const GOOD_ARTICLE_FM = 'title: "A valid article"\npublished: 2025-02-01';
const BODY = 'A paragraph with a sentence in it.\n';

describe('readKnowledgeBase on the fixture', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await loadKnowledgeBase(FIXTURE_KB);
  });

  it('reads every article and glossary term with no problem', async () => {
    const result = await readKnowledgeBase(FIXTURE_KB);
    expect(result.issues).toEqual([]);
    expect(kb.articles.map((a) => a.slug).sort()).toEqual([
      'how-do-i-read-the-advance-decline-line',
      'how-do-i-roll-a-short-put',
      'how-does-implied-volatility-move-option-prices',
      'what-does-the-p-e-ratio-of-the-s-p-500-tell-an-option-trader',
      'what-is-an-iron-condor',
    ]);
    expect(kb.glossary).toHaveLength(10);
    expect(kb.articleBySlug.get('what-is-an-iron-condor')?.title).toBe('What is an iron condor, and when do traders use one?');
    expect(kb.glossaryBySlug.get('iron-condor')?.aliases).toEqual(['IC']);
  });

  it('resolves the site: trailing slash of base_url dropped, disclaimer folded and trimmed', () => {
    expect(kb.site).toEqual({ publisher: FIXTURE_SITE.publisher, site: FIXTURE_SITE.site, baseUrl: FIXTURE_SITE.baseUrl, disclaimer: FIXTURE_SITE.disclaimer, outOfScope: [], synonyms: {} });
  });

  it('defaults author to the publisher and url to base_url/ask/slug', () => {
    const article = kb.articleBySlug.get('what-is-an-iron-condor')!;
    expect(article.author).toBe(FIXTURE_SITE.publisher);
    expect(article.url).toBe('https://fixture.example.com/ask/what-is-an-iron-condor');
    expect(article.published).toBe('2025-03-14');
    expect(article.basedOn).toBeUndefined();
  });

  it('keeps an explicit author, url and based_on', () => {
    const article = kb.articleBySlug.get('how-do-i-roll-a-short-put')!;
    expect(article.author).toBe('Dana Fixture');
    expect(article.url).toBe('https://fixture.example.com/guides/rolling-a-short-put');
    expect(article.basedOn).toBe('Fixture Options Handbook');
  });

  it('gives glossary terms their first paragraph as definition, the whole body as text, and a glossary URL', () => {
    const term = kb.glossaryBySlug.get('iron-condor')!;
    expect(term.definition).toMatch(/^An iron condor pairs a short put spread .* between the short strikes\.$/);
    expect(term.definition).not.toContain('largest possible loss');
    expect(term.text).toContain('largest possible loss');
    expect(term.url).toBe('https://fixture.example.com/glossary/iron-condor');
    expect(kb.glossaryBySlug.get('vega')!.aliases).toEqual([]);
    expect(kb.glossaryBySlug.get('contango')!.related).toEqual([]);
  });

  it('numbers passages per article and links them to it', () => {
    for (const article of kb.articles) {
      expect(article.passages.length).toBeGreaterThan(0);
      article.passages.forEach((passage, i) => {
        expect(passage.id).toBe(`${article.slug}#${i}`);
        expect(passage.articleSlug).toBe(article.slug);
      });
    }
  });
});

describe('defaults of optional fields', () => {
  it('tags, glossary and asked default to empty lists; a repeated glossary slug is kept once', async () => {
    const kb = await tempKb({
      'articles/bare.md': md(GOOD_ARTICLE_FM, BODY),
      'articles/twice.md': md(`${GOOD_ARTICLE_FM}\nglossary: [vega, vega]`, BODY),
      'glossary/vega.md': md('term: Vega', 'Vega is a Greek.\n'),
    });
    try {
      const loaded = await loadKnowledgeBase(kb.dir);
      const bare = loaded.articleBySlug.get('bare')!;
      expect(bare.tags).toEqual([]);
      expect(bare.glossary).toEqual([]);
      expect(bare.asked).toEqual([]);
      expect(bare.author).toBe('Temp Publisher');
      expect(bare.url).toBe('https://temp.example.com/ask/bare');
      expect(loaded.articleBySlug.get('twice')!.glossary).toEqual(['vega']);
    } finally {
      await kb.cleanup();
    }
  });
});

interface ErrorCase {
  name: string;
  changes: Record<string, string | null>;
  file: string;
  field: string;
  message: RegExp;
}

/** One broken variant of the fixture each; each must produce exactly one problem, naming the file and the field. */
const ERROR_CASES: ErrorCase[] = [
  {
    name: 'unknown key in an article',
    changes: { 'articles/extra-key.md': md(`${GOOD_ARTICLE_FM}\ncategories: [options]`, BODY) },
    file: 'articles/extra-key.md',
    field: 'categories',
    message: /unknown key/,
  },
  {
    name: 'unknown key in a glossary term (misspelt "aliases")',
    changes: { 'glossary/typo-key.md': md('term: Typo Key\nalias: [TK]', 'A term with a misspelt key.\n') },
    file: 'glossary/typo-key.md',
    field: 'alias',
    message: /unknown key/,
  },
  {
    name: 'missing title',
    changes: { 'articles/no-title.md': md('published: 2025-02-01', BODY) },
    file: 'articles/no-title.md',
    field: 'title',
    message: /required field is missing/,
  },
  {
    name: 'blank title',
    changes: { 'articles/blank-title.md': md('title: "   "\npublished: 2025-02-01', BODY) },
    file: 'articles/blank-title.md',
    field: 'title',
    message: /must not be empty/,
  },
  {
    name: 'missing published',
    changes: { 'articles/no-date.md': md('title: "No date"', BODY) },
    file: 'articles/no-date.md',
    field: 'published',
    message: /./,
  },
  {
    name: 'impossible date 2026-02-30',
    changes: { 'articles/feb-30.md': md('title: "Bad date"\npublished: 2026-02-30', BODY) },
    file: 'articles/feb-30.md',
    field: 'published',
    message: /^"2026-02-30" is not a real date/,
  },
  {
    name: 'date "yesterday"',
    changes: { 'articles/yesterday.md': md('title: "Bad date"\npublished: yesterday', BODY) },
    file: 'articles/yesterday.md',
    field: 'published',
    message: /ISO date.*yesterday/,
  },
  {
    name: 'date with a time',
    changes: { 'articles/with-time.md': md('title: "Bad date"\npublished: 2025-01-01T10:00:00Z', BODY) },
    file: 'articles/with-time.md',
    field: 'published',
    message: /ISO date/,
  },
  {
    name: 'missing term in a glossary file',
    changes: { 'glossary/no-term.md': md('aliases: [NT]', 'A definition.\n') },
    file: 'glossary/no-term.md',
    field: 'term',
    message: /required field is missing/,
  },
  {
    name: 'dangling glossary slug in an article (second entry)',
    changes: { 'articles/dangling.md': md(`${GOOD_ARTICLE_FM}\nglossary: [vega, no-such-term]`, BODY) },
    file: 'articles/dangling.md',
    field: 'glossary.1',
    message: /"no-such-term" is not a glossary term/,
  },
  {
    name: 'glossary entry that is not a slug',
    changes: { 'articles/bad-slug.md': md(`${GOOD_ARTICLE_FM}\nglossary: [Iron Condor]`, BODY) },
    file: 'articles/bad-slug.md',
    field: 'glossary.0',
    message: /slug/,
  },
  {
    name: 'empty asked phrasing (second entry)',
    changes: { 'articles/blank-asked.md': md(`${GOOD_ARTICLE_FM}\nasked: ["how do I roll", "  "]`, BODY) },
    file: 'articles/blank-asked.md',
    field: 'asked.1',
    message: /must not be empty/,
  },
  {
    name: 'asked given as one string, not a list',
    changes: { 'articles/asked-string.md': md(`${GOOD_ARTICLE_FM}\nasked: how do I roll`, BODY) },
    file: 'articles/asked-string.md',
    field: 'asked',
    message: /array/i,
  },
  {
    name: 'dangling related slug',
    changes: { 'glossary/lonely.md': md('term: Lonely\nrelated: [vega, nowhere]', 'A term pointing nowhere.\n') },
    file: 'glossary/lonely.md',
    field: 'related.1',
    message: /"nowhere" is not a glossary term/,
  },
  {
    name: 'self-related term',
    changes: { 'glossary/narcissus.md': md('term: Narcissus\nrelated: [narcissus]', 'A term related to itself.\n') },
    file: 'glossary/narcissus.md',
    field: 'related.0',
    message: /itself/,
  },
  {
    name: 'alias used by two terms (the later file is blamed)',
    changes: { 'glossary/zz-copycat.md': md('term: Copycat\naliases: [Other Name, IC]', 'A term stealing an alias.\n') },
    file: 'glossary/zz-copycat.md',
    field: 'aliases.1',
    message: /duplicate name "IC": already used by glossary\/iron-condor\.md/,
  },
  {
    name: 'alias of a later file equal to the term of an earlier one whose slug it extends (the later file is blamed)',
    changes: { 'glossary/vega-exposure.md': md('term: Vega Exposure\naliases: [Vega]', 'The vega of a whole book.\n') },
    file: 'glossary/vega-exposure.md',
    field: 'aliases.0',
    message: /duplicate name "Vega": already used by glossary\/vega\.md/,
  },
  {
    name: 'alias equal to another term, compared without case and extra spaces',
    changes: { 'glossary/zz-greek.md': md('term: Greek Letter\naliases: ["  vEGa "]', 'A term whose alias is another term.\n') },
    file: 'glossary/zz-greek.md',
    field: 'aliases.0',
    message: /duplicate name .*already used by glossary\/vega\.md/,
  },
  {
    name: 'alias "a/d  line" against "A/D Line"',
    changes: { 'glossary/zz-breadth.md': md('term: Breadth Gauge\naliases: ["a/d  line"]', 'A breadth term.\n') },
    file: 'glossary/zz-breadth.md',
    field: 'aliases.0',
    message: /duplicate name/,
  },
  {
    name: 'same name twice for one term',
    changes: { 'glossary/twice.md': md('term: Twice\naliases: [TW, tw]', 'A term with one alias twice.\n') },
    file: 'glossary/twice.md',
    field: 'aliases.1',
    message: /listed twice/,
  },
  {
    name: 'missing site.yaml',
    changes: { 'site.yaml': null },
    file: 'site.yaml',
    field: 'file',
    message: /missing/,
  },
  {
    name: 'invalid YAML in site.yaml',
    changes: { 'site.yaml': 'publisher: [unclosed\nsite: x\n' },
    file: 'site.yaml',
    field: 'file',
    message: /invalid YAML/,
  },
  {
    name: 'site.yaml with a base_url that is no URL',
    changes: { 'site.yaml': 'publisher: P\nsite: S\nbase_url: not a url\ndisclaimer: D\n' },
    file: 'site.yaml',
    field: 'base_url',
    message: /http\(s\) URL/,
  },
  {
    name: 'site.yaml without a disclaimer',
    changes: { 'site.yaml': 'publisher: P\nsite: S\nbase_url: https://s.example.com\n' },
    file: 'site.yaml',
    field: 'disclaimer',
    message: /required field is missing/,
  },
  {
    name: 'site.yaml with an empty out_of_scope phrase',
    changes: { 'site.yaml': 'publisher: P\nsite: S\nbase_url: https://s.example.com\ndisclaimer: D\nout_of_scope: [mortgage, "  "]\n' },
    file: 'site.yaml',
    field: 'out_of_scope.1',
    message: /must not be empty/,
  },
  {
    name: 'invalid YAML in front matter',
    changes: { 'articles/broken-yaml.md': md('title: [unclosed\npublished: 2025-02-01', BODY) },
    file: 'articles/broken-yaml.md',
    field: 'front matter',
    message: /invalid YAML/,
  },
  {
    // js-yaml (core schema) rejects tags it does not know, where a string would silently be read.
    name: 'unknown YAML tag in front matter',
    changes: { 'articles/tagged-yaml.md': md('title: !custom What is a tag?\npublished: 2025-02-01', BODY) },
    file: 'articles/tagged-yaml.md',
    field: 'front matter',
    message: /invalid YAML/,
  },
  {
    name: 'missing front matter',
    changes: { 'articles/no-front-matter.md': '# Just Markdown\n\nNo front matter here.\n' },
    file: 'articles/no-front-matter.md',
    field: 'front matter',
    message: /missing/,
  },
  {
    name: 'unclosed front matter',
    changes: { 'glossary/unclosed.md': '---\nterm: Unclosed\nA definition with no closing line.\n' },
    file: 'glossary/unclosed.md',
    field: 'front matter',
    message: /missing/,
  },
  {
    name: 'file name that is not a slug',
    changes: { 'articles/Bad_Name.md': md(GOOD_ARTICLE_FM, BODY) },
    file: 'articles/Bad_Name.md',
    field: 'file',
    message: /slug/,
  },
  {
    name: 'empty article body',
    changes: { 'articles/empty-body.md': md(GOOD_ARTICLE_FM, '\n\n') },
    file: 'articles/empty-body.md',
    field: 'body',
    message: /empty/,
  },
  {
    name: 'article body with only a heading',
    changes: { 'articles/heading-only.md': md(GOOD_ARTICLE_FM, '## Nothing under it\n') },
    file: 'articles/heading-only.md',
    field: 'body',
    message: /empty/,
  },
  {
    name: 'empty glossary body',
    changes: { 'glossary/empty-definition.md': md('term: Empty Definition', '\n') },
    file: 'glossary/empty-definition.md',
    field: 'body',
    message: /empty/,
  },
];

describe('each validation error names the file and the field', () => {
  it.each(ERROR_CASES)('$name', async ({ changes, file, field, message }) => {
    const { kb, issues } = await issuesOf(changes);
    expect(kb).toBeNull();
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue).toMatchObject({ file, field });
    expect(issue!.message).toMatch(message);
    expect(formatIssue(issue!)).toBe(`${file}: ${field}: ${issue!.message}`);
  });

  // BUG: for every other missing required field the loader says "required field is missing", but `published`
  // (a union of string | Date) fails as zod's "invalid_union", which schemaIssues() does not recognise, so an
  // editor who forgot the date reads "articles/x.md: published: Invalid input".
  it('says a missing published date is missing (not just "Invalid input")', async () => {
    const { issues } = await issuesOf({ 'articles/no-date.md': md('title: "No date"', BODY) });
    expect(issues).toEqual([{ file: 'articles/no-date.md', field: 'published', message: 'required field is missing' }]);
  });

  // BUG: the loader promises "a name (term or alias) must lead to exactly one entry", but it compares names with
  // nameKey() (case and spaces only) while the engine matches names by their word tokens (lookupKey, the
  // question analyser), where "Advance Decline Line" and "Advance-Decline Line" are the same name. Such a pair
  // passes validation, and then /glossary answers one term while ask() answers with the other.
  it('rejects an alias that differs from another term only by punctuation', async () => {
    const { issues } = await issuesOf({
      'glossary/zz-breadth.md': md('term: Breadth Gauge\naliases: [Advance Decline Line]', 'A breadth term.\n'),
    });
    expect(issues).toContainEqual(expect.objectContaining({ file: 'glossary/zz-breadth.md', field: 'aliases.0' }));
  });

  it('does not blame an article for citing a glossary term whose own file is invalid', async () => {
    const { issues } = await issuesOf({ 'glossary/vega.md': md('term: Vega\nrelated: [implied-volatility]\ncolour: blue', 'Vega.\n') });
    expect(issues).toEqual([expect.objectContaining({ file: 'glossary/vega.md', field: 'colour' })]);
  });

  it('reports every problem at once, across files and kinds', async () => {
    const changes = {
      'articles/extra-key.md': md(`${GOOD_ARTICLE_FM}\ncategories: [options]`, BODY),
      'articles/feb-30.md': md('title: "Bad date"\npublished: 2026-02-30\nglossary: [no-such-term]', BODY),
      'glossary/lonely.md': md('term: Lonely\nrelated: [nowhere]', 'A term pointing nowhere.\n'),
      'glossary/zz-copycat.md': md('term: Copycat\naliases: [IC]', 'A term stealing an alias.\n'),
      'articles/Bad_Name.md': md(GOOD_ARTICLE_FM, BODY),
    };
    const { kb, issues } = await issuesOf(changes);
    expect(kb).toBeNull();
    const where = issues.map((issue) => `${issue.file}: ${issue.field}`).sort();
    expect(where).toEqual(
      [
        'articles/Bad_Name.md: file',
        'articles/extra-key.md: categories',
        'articles/feb-30.md: published',
        'glossary/lonely.md: related.0',
        'glossary/zz-copycat.md: aliases.0',
      ].sort(),
    );
  });

  it('reports a dangling glossary slug together with other errors of the same file', async () => {
    const { issues } = await issuesOf({ 'articles/two-problems.md': md(`${GOOD_ARTICLE_FM}\nglossary: [nope, vega, nada]`, BODY) });
    expect(issues.map((issue) => issue.field)).toEqual(['glossary.0', 'glossary.2']);
    expect(issues.every((issue) => issue.file === 'articles/two-problems.md')).toBe(true);
  });
});

describe('loadKnowledgeBase', () => {
  let copy: Awaited<ReturnType<typeof fixtureCopy>>;
  beforeAll(async () => {
    copy = await fixtureCopy({
      'articles/feb-30.md': md('title: "Bad date"\npublished: 2026-02-30', BODY),
      'glossary/narcissus.md': md('term: Narcissus\nrelated: [narcissus]', 'Self.\n'),
    });
  });
  afterAll(() => copy.cleanup());

  it('throws a KnowledgeError listing every problem as "file: field: message"', async () => {
    const error = await loadKnowledgeBase(copy.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KnowledgeError);
    const { issues, message } = error as KnowledgeError;
    expect(issues).toHaveLength(2);
    expect(message).toMatch(/^2 problem\(s\) in the knowledge base:/);
    for (const issue of issues) expect(message).toContain(formatIssue(issue));
    expect(message).toContain('articles/feb-30.md: published: ');
    expect(message).toContain('glossary/narcissus.md: related.0: ');
  });

  it('fails on a directory that does not exist with a missing site.yaml, not a crash', async () => {
    const { kb, issues } = await readKnowledgeBase(`${copy.dir}-does-not-exist`);
    expect(kb).toBeNull();
    expect(issues).toEqual([expect.objectContaining({ file: 'site.yaml', field: 'file' })]);
  });
});
