import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COMPLETIONS, GlossaryIndex, type GlossaryChoice } from '../../src/engine/glossary.js';
import { nameKey } from '../../src/text/tokens.js';
import { loadKnowledgeBase } from '../../src/knowledge/read.js';
import { SLUG_PATTERN } from '../../src/knowledge/schema.js';
import type { GlossaryTerm, KnowledgeBase } from '../../src/knowledge/types.js';
import { FIXTURE_KB } from '../fixtures/kb.js';

const LONG_TERM = 'Volatility-Adjusted Conditional Expected Shortfall Under Stressed Market Scenarios for Multi-Leg Index Option Portfolios';

let kb: KnowledgeBase;
let glossary: GlossaryIndex;
beforeAll(async () => {
  kb = await loadKnowledgeBase(FIXTURE_KB);
  glossary = new GlossaryIndex(kb);
});

function expectValidChoices(choices: GlossaryChoice[]) {
  expect(choices.length).toBeLessThanOrEqual(DEFAULT_COMPLETIONS);
  for (const choice of choices) {
    expect(choice.name.length).toBeGreaterThan(0);
    expect(choice.value).toMatch(SLUG_PATTERN);
    expect(choice.value).not.toContain('://');
  }
  expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
}

describe('glossary lookup', () => {
  it.each([
    ['the term', 'Iron Condor', 'iron-condor'],
    ['the term in any case', 'iRON condor', 'iron-condor'],
    ['an alias', 'IC', 'iron-condor'],
    ['an alias, lower case', 'ic', 'iron-condor'],
    ['an alias with a slash', 'A/D Line', 'advance-decline-line'],
    ['an alias with odd spacing and case', '  a/d   LINE ', 'advance-decline-line'],
    ['a short alias that is an abbreviation', 'P/E', 'price-earnings-ratio'],
    ['a longer alias', 'p/e ratio', 'price-earnings-ratio'],
    ['the slug (an autocomplete value)', 'iron-condor', 'iron-condor'],
    ['a hyphenated term typed with a space', 'advance decline line', 'advance-decline-line'],
  ])('finds %s exactly', (_what, query, slug) => {
    const found = glossary.lookup(query);
    expect(found.match).toBe('exact');
    expect(found.term?.slug).toBe(slug);
    expect(found.query).toBe(query);
    expect(found.suggestions.map((s) => s.slug)).not.toContain(slug);
  });

  it('finds by prefix of a name', () => {
    const found = glossary.lookup('adv');
    expect(found).toMatchObject({ match: 'prefix', term: { slug: 'advance-decline-line' } });
  });

  it('finds by prefix of a later word, after whole-name prefixes, and suggests the other candidates', () => {
    const found = glossary.lookup('volatil');
    expect(found.match).toBe('prefix');
    // "Volatility-Adjusted ..." starts with it; "Implied Volatility" has it as its second word.
    expect(found.term?.slug).toBe('volatility-adjusted-conditional-shortfall');
    expect(found.suggestions.map((s) => s.slug)).toEqual(['implied-volatility']);
  });

  it('prefers an exact name to a prefix of a longer one', () => {
    // "p/e" is an alias of its own, and a prefix of the alias "p/e ratio": one entry, no duplicate suggestion.
    const found = glossary.lookup('p/e');
    expect(found.match).toBe('exact');
    expect(found.suggestions).toEqual([]);
  });

  it('falls back to fuzzy matching for a misspelling', () => {
    expect(glossary.lookup('contago')).toMatchObject({ match: 'fuzzy', term: { slug: 'contango' } });
    expect(glossary.lookup('iron condr')).toMatchObject({ match: 'fuzzy', term: { slug: 'iron-condor' } });
    // From 7 characters, two edits are allowed.
    expect(glossary.lookup('movng avrage')).toMatchObject({ match: 'fuzzy', term: { slug: 'moving-average' } });
  });

  it('finds nothing, with no suggestions, for an unknown or empty term', () => {
    for (const query of ['xyzzy', 'straddle', '', '   ', '?!']) {
      const found = glossary.lookup(query);
      expect(found.term, query).toBeNull();
      expect(found.match).toBeNull();
      expect(found.suggestions).toEqual([]);
    }
  });

  it('does not fuzzy-match very short input', () => {
    expect(glossary.lookup('zq').term).toBeNull();
  });

  it('looks names up by the one name key, which normalises as the question analyser does', () => {
    expect(nameKey('  A/D   Line!')).toBe('a/d line');
    expect(nameKey('Advance-Decline Line')).toBe('advance decline line');
  });
});

describe('glossary autocomplete', () => {
  it('on empty input returns the most-referenced terms first', () => {
    const choices = glossary.complete('');
    expectValidChoices(choices);
    expect(choices).toHaveLength(kb.glossary.length);
    const uses = (slug: string) => kb.articles.filter((a) => a.glossary.includes(slug)).length;
    const counts = choices.map((c) => uses(c.value));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // implied-volatility is referenced by three fixture articles, credit-spread and option-premium by two.
    expect(choices.slice(0, 3).map((c) => c.value)).toEqual(['implied-volatility', 'credit-spread', 'option-premium']);
    expect(glossary.popularity.get('implied-volatility')).toBe(3);
    expect(glossary.popularity.get('contango')).toBe(0);
  });

  it('names a term by the alias that was typed', () => {
    expect(glossary.complete('ic')).toEqual([{ name: 'Iron Condor (IC)', value: 'iron-condor' }]);
    expect(glossary.complete('a/d')).toEqual([{ name: 'Advance-Decline Line (A/D Line)', value: 'advance-decline-line' }]);
  });

  it("names a long term in full (Discord's 100-character cap is the Discord layer's), with the slug as value", () => {
    const [choice] = glossary.complete('volatility-adj');
    expect(choice!.value).toBe('volatility-adjusted-conditional-shortfall');
    expect(choice!.name).toBe(LONG_TERM);
  });

  it('matches later words of a name and misspellings, and returns nothing for nonsense', () => {
    expect(glossary.complete('volatility').map((c) => c.value)).toEqual(['volatility-adjusted-conditional-shortfall', 'implied-volatility']);
    expect(glossary.complete('contago').map((c) => c.value)).toEqual(['contango']);
    expect(glossary.complete('zzzz')).toEqual([]);
  });

  it('returns valid choices for every input', () => {
    for (const input of ['', 'v', 'i', 'c', 'a/d', 'P/E', '  ', '???', 'x'.repeat(500), 'ЧТО']) expectValidChoices(glossary.complete(input));
  });
});

describe('glossary autocomplete limits on a large glossary', () => {
  let big: GlossaryIndex;
  beforeAll(() => {
    const terms: GlossaryTerm[] = Array.from({ length: 60 }, (_, i) => {
      const slug = `alpha-term-${i}`;
      return {
        slug,
        file: `glossary/${slug}.md`,
        term: `Alpha Term ${i}`,
        aliases: [`alpha alias ${i} ${'with a very long tail of words '.repeat(5)}`],
        related: [],
        definition: `Definition ${i}.`,
        text: `Definition ${i}.`,
        url: `https://big.example.com/glossary/${slug}`,
      };
    });
    const bigKb: KnowledgeBase = {
      dir: '/nowhere',
      site: { publisher: 'P', site: 'S', baseUrl: 'https://big.example.com', disclaimer: 'D', outOfScope: [], synonyms: {} },
      articles: [],
      glossary: terms,
      articleBySlug: new Map(),
      glossaryBySlug: new Map(terms.map((t) => [t.slug, t])),
    };
    big = new GlossaryIndex(bigKb);
  });

  it('returns the default number of choices, or as many as asked for', () => {
    for (const input of ['', 'a', 'alpha', 'alpha term', 'alpha alias', 'alpha tern']) {
      const choices = big.complete(input);
      expectValidChoices(choices);
      expect(choices, input).toHaveLength(DEFAULT_COMPLETIONS);
    }
    expect(big.complete('alpha', 40)).toHaveLength(40);
    expect(big.complete('alpha', 5)).toHaveLength(5);
  });

  it('names alias-matched choices by the term and the alias typed', () => {
    const choices = big.complete('alpha alias');
    expect(choices.every((c) => c.name.startsWith('Alpha Term ') && c.name.includes('(alpha alias'))).toBe(true);
    expectValidChoices(choices);
  });
});
