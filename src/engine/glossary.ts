/**
 * The glossary's own lookup and autocomplete (exact, alias, prefix, fuzzy), apart from question answering.
 */
import type { GlossaryTerm, KnowledgeBase } from '../knowledge/types.js';
import { commonPrefixLengths, fuzzyScanSorted } from './fuzzy.js';
import { nameKey, surfaceTokens } from '../text/tokens.js';

/** How many choices a completion lists unless asked for another number (the Discord layer applies Discord's caps). */
export const DEFAULT_COMPLETIONS = 25;

export type GlossaryMatch = 'exact' | 'prefix' | 'fuzzy';

export interface GlossaryLookup {
  query: string;
  term: GlossaryTerm | null;
  match: GlossaryMatch | null;
  /** Other close terms ("did you mean"), best first, the found term excluded. */
  suggestions: GlossaryTerm[];
}

export interface GlossaryChoice {
  /** What the member sees: the term, and the alias they typed when that is how it matched. */
  name: string;
  /** The glossary slug: short, stable, never a URL. */
  value: string;
}

interface NameEntry {
  /** Normalised name, or the tail of one starting at a word ("volatility" of "implied volatility"). */
  key: string;
  slug: string;
  /** The name as written (term or alias). */
  name: string;
  isAlias: boolean;
  /** The key starts at the name's first word. */
  whole: boolean;
}

/**
 * Glossary lookup and autocomplete over a sorted name index (terms, aliases and their word tails), so a prefix is
 * found by binary search instead of a scan: autocomplete must answer well inside Discord's 3 seconds on
 * thousands of terms.
 */
export class GlossaryIndex {
  private readonly entries: NameEntry[];
  /** The entries' keys, in the same (sorted) order, for fuzzy matching. */
  private keys: string[] | undefined;
  /** Common prefix length of each key with the one before (fuzzy.ts). */
  private keyPrefixes: Uint16Array | undefined;
  private readonly exact = new Map<string, NameEntry>();
  /** slug -> number of articles that reference the term ("core" terms come first on empty input). */
  readonly popularity: Map<string, number>;
  private readonly coreTerms: GlossaryTerm[];

  constructor(private readonly kb: KnowledgeBase) {
    this.popularity = new Map(kb.glossary.map((term) => [term.slug, 0]));
    for (const article of kb.articles) {
      for (const slug of article.glossary) this.popularity.set(slug, (this.popularity.get(slug) ?? 0) + 1);
    }
    const entries: NameEntry[] = [];
    for (const term of kb.glossary) {
      for (const [name, isAlias] of [[term.term, false], ...term.aliases.map((alias) => [alias, true] as const)] as const) {
        const words = surfaceTokens(name);
        if (words.length === 0) continue;
        const key = words.join(' ');
        const entry = { key, slug: term.slug, name, isAlias, whole: true };
        entries.push(entry);
        if (!this.exact.has(key)) this.exact.set(key, entry);
        for (let i = 1; i < words.length; i++) entries.push({ ...entry, key: words.slice(i).join(' '), whole: false });
      }
    }
    this.entries = entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.coreTerms = [...kb.glossary].sort((a, b) => this.rank(b.slug) - this.rank(a.slug) || a.term.localeCompare(b.term));
  }

  private rank(slug: string): number {
    return this.popularity.get(slug) ?? 0;
  }

  private term(slug: string): GlossaryTerm {
    return this.kb.glossaryBySlug.get(slug)!;
  }

  /** Entries whose key starts with `prefix`, best first: whole-name matches, then popular, then short. */
  private prefixMatches(prefix: string, limit: number): NameEntry[] {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.key < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: NameEntry[] = [];
    // Collect a bounded window; the sort below only reorders within it.
    for (let i = lo; i < this.entries.length && found.length < limit * 8; i++) {
      const entry = this.entries[i]!;
      if (!entry.key.startsWith(prefix)) break;
      found.push(entry);
    }
    return found.sort(
      (a, b) =>
        Number(b.whole) - Number(a.whole) ||
        Number(b.key === prefix) - Number(a.key === prefix) ||
        this.rank(b.slug) - this.rank(a.slug) ||
        a.name.length - b.name.length ||
        a.name.localeCompare(b.name),
    );
  }

  private fuzzyMatches(key: string, limit: number): NameEntry[] {
    if (key.length < 3) return [];
    const maxEdits = key.length >= 7 ? 2 : 1;
    const scored: Array<[NameEntry, number]> = [];
    // Compare with the name cut to the typed length too, so "straddel" finds "straddle" and "volatilty sk" finds
    // "volatility skew". One pass over the sorted keys sharing work between common prefixes (see fuzzy.ts: why).
    this.keys ??= this.entries.map((entry) => entry.key);
    this.keyPrefixes ??= commonPrefixLengths(this.keys);
    fuzzyScanSorted(
      key,
      this.keys,
      maxEdits,
      ({ index, whole, start }) => {
        const entry = this.entries[index]!;
        const distance = Math.min(whole, start);
        // Whole-name matches rank before start-of-name matches, and names before their word tails.
        scored.push([entry, distance + (whole <= start ? 0 : 0.5) + (entry.whole ? 0 : 0.25)]);
      },
      this.keyPrefixes,
    );
    return scored
      .sort((a, b) => a[1] - b[1] || this.rank(b[0].slug) - this.rank(a[0].slug))
      .slice(0, limit)
      .map(([entry]) => entry);
  }

  private uniqueTerms(entries: NameEntry[], limit: number, exclude?: string): GlossaryTerm[] {
    const slugs = new Set<string>();
    for (const entry of entries) {
      if (entry.slug !== exclude) slugs.add(entry.slug);
      if (slugs.size >= limit) break;
    }
    return [...slugs].map((slug) => this.term(slug));
  }

  /** Exact term or alias first, then prefix, then fuzzy. A slug (an autocomplete value) is exact too. */
  lookup(query: string, suggestionLimit = 5): GlossaryLookup {
    const bySlug = this.kb.glossaryBySlug.get(query.trim());
    const key = nameKey(query);
    const exact = bySlug ?? (this.exact.get(key) ? this.term(this.exact.get(key)!.slug) : undefined);
    if (exact) {
      return { query, term: exact, match: 'exact', suggestions: this.uniqueTerms(this.prefixMatches(key, suggestionLimit), suggestionLimit, exact.slug) };
    }
    if (!key) return { query, term: null, match: null, suggestions: [] };
    const prefixed = this.prefixMatches(key, suggestionLimit + 1);
    if (prefixed.length > 0) {
      const [first] = this.uniqueTerms(prefixed, 1);
      return { query, term: first!, match: 'prefix', suggestions: this.uniqueTerms(prefixed, suggestionLimit, first!.slug) };
    }
    const fuzzy = this.fuzzyMatches(key, suggestionLimit + 1);
    if (fuzzy.length > 0) {
      const [first] = this.uniqueTerms(fuzzy, 1);
      return { query, term: first!, match: 'fuzzy', suggestions: this.uniqueTerms(fuzzy, suggestionLimit, first!.slug) };
    }
    return { query, term: null, match: null, suggestions: [] };
  }

  /** Autocomplete: at most `limit` choices, best first, names as written, values are slugs. */
  complete(input: string, limit = DEFAULT_COMPLETIONS): GlossaryChoice[] {
    const max = limit;
    const key = nameKey(input);
    if (!key) return this.coreTerms.slice(0, max).map((term) => this.choice(term));
    const entries = this.prefixMatches(key, max);
    const choices = new Map<string, GlossaryChoice>();
    for (const entry of entries.length > 0 ? entries : this.fuzzyMatches(key, max)) {
      if (!choices.has(entry.slug)) choices.set(entry.slug, this.choice(this.term(entry.slug), entry.isAlias ? entry.name : undefined));
      if (choices.size >= max) break;
    }
    return [...choices.values()];
  }

  private choice(term: GlossaryTerm, viaAlias?: string): GlossaryChoice {
    const name = viaAlias && viaAlias !== term.term ? `${term.term} (${viaAlias})` : term.term;
    return { name, value: term.slug };
  }
}
