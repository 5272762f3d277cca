/**
 * Reading a question: its words after typo correction, glossary names as one idea each, and the focus (the sentence
 * that asks weighs more than the story around it). The result, AnalyzedQuery, is what search and confidence read.
 */
import type { SearchIndex } from './index.js';
import { RELEVANCE } from './relevance.js';
import { isIndexable, stem, surfaceTokens } from './text.js';
import { rememberedCorrection } from './typo.js';

/** One idea of the question: a word, or a glossary name with its expansion ("iv" | "implied volatility"). */
export interface QueryGroup {
  /** Each alternative is a list of term ids; a group is matched as well as its best-matched alternative. */
  alternatives: number[][];
  /** IDF weight of the group in coverage; unknown words weigh as much as the rarest word. */
  weight: number;
  /** Coverage credit for a match (typo-corrected words earn less than typed ones). */
  credit: number;
  /** The glossary slug, when the group is a glossary name or alias. */
  slug?: string;
}

export interface AnalyzedQuery {
  /** term id -> weight in the BM25F score */
  termWeights: Map<number, number>;
  groups: QueryGroup[];
  /** The groups that are glossary names (a subset of groups). */
  namedGroups: QueryGroup[];
  /** Question words the index does not know and could not correct. */
  unknownWords: string[];
}

/** A question token after correction: the word to read, and whether it was corrected (it then earns less). */
interface ReadToken {
  word: string;
  /** The word as the member typed it (before correction): synonyms are looked up by it. */
  typed: string;
  corrected: boolean;
  /** How much the word counts: 1 in the sentence that asks, less in the story around it (see questionFocus). */
  focus: number;
  /** The word is unknown to the knowledge base and could not be corrected (it is kept as typed). */
  unknown: boolean;
}

function readTokens(index: SearchIndex, question: string): ReadToken[] {
  const read: ReadToken[] = [];
  for (const { text, focus } of questionFocus(question)) {
    for (const token of surfaceTokens(text)) {
      if (!isIndexable(token) || index.vocabulary.has(stem(token))) {
        read.push({ word: token, typed: token, corrected: false, unknown: false, focus });
        continue;
      }
      const corrected = rememberedCorrection(index, token);
      if (corrected === null) continue;
      if (corrected !== undefined && index.vocabulary.has(stem(corrected)))
        read.push({ word: corrected, typed: token, corrected: true, unknown: false, focus });
      else read.push({ word: token, typed: token, corrected: false, unknown: true, focus });
    }
  }
  return read;
}

const SENTENCE_END = /(?<=[.?!])\s+(?=\S)/u;

/**
 * The parts of a question with how much each counts. A question of one sentence counts whole. In a longer one the
 * sentences that ask (ending in "?") and the first sentence (a forum post's title) are the focus; the story around
 * them counts RELEVANCE.focus.story of its weight, in the score and in coverage alike.
 */
export function questionFocus(question: string): Array<{ text: string; focus: number }> {
  const sentences = question.split(SENTENCE_END);
  if (sentences.length <= 1) return [{ text: question, focus: 1 }];
  return sentences.map((text, i) => ({ text, focus: i === 0 || text.trimEnd().endsWith('?') ? 1 : RELEVANCE.focus.story }));
}

export function analyzeQuery(index: SearchIndex, question: string): AnalyzedQuery {
  // Misspelt and clipped words are corrected first, so a corrected word can still be part of a glossary name
  // ("backwardaton" -> backwardation, "iron condr" -> iron condor).
  const tokens = readTokens(index, question);
  const termWeights = new Map<number, number>();
  const groups: QueryGroup[] = [];
  const namedGroups: QueryGroup[] = [];
  const unknownWords: string[] = [];
  const seenTerms = new Set<string>();
  const { scoreWeight, coverageCredit } = RELEVANCE.typo;
  const idfOf = (ids: number[]) => ids.reduce((sum, id) => sum + index.idf[id]!, 0);
  const addWeight = (id: number, weight: number) => termWeights.set(id, Math.max(termWeights.get(id) ?? 0, weight));

  const termIds = (words: string[]) =>
    words
      .filter(isIndexable)
      .map(stem)
      .flatMap((term) => {
        const id = index.vocabulary.get(term);
        return id === undefined ? [] : [id];
      });

  /**
   * A member's phrase from site.yaml's synonyms starting at token i, read as one idea: matched by its own words or
   * by the knowledge base's (which weigh like a glossary name's expansion in the score). Returns the tokens used.
   */
  const readSynonym = (i: number): number => {
    for (let n = Math.min(index.longestSynonymFrom.get(tokens[i]!.typed) ?? 0, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n);
      const target = index.synonyms.get(phrase.map((token) => token.typed).join(' '));
      if (!target) continue;
      const typed = termIds(phrase.filter((token) => !token.unknown && !token.corrected).map((token) => token.word));
      const meant = termIds(target);
      if (meant.length === 0) return 0;
      const focus = Math.max(...phrase.map((token) => token.focus));
      typed.forEach((id) => addWeight(id, focus));
      meant.forEach((id) => addWeight(id, typed.includes(id) ? focus : RELEVANCE.expansionWeight * focus));
      const alternatives = [typed, meant].filter((ids) => ids.length > 0);
      groups.push({ alternatives, weight: Math.max(...alternatives.map(idfOf)) * focus, credit: 1 });
      phrase.forEach((token) => isIndexable(token.word) && seenTerms.add(stem(token.word)));
      return n;
    }
    return 0;
  };

  for (let i = 0; i < tokens.length;) {
    // An editor's synonym first (it may start with a glossary name: "theta gang"), then the longest glossary name
    // (term or alias) starting here: "a/d line", "iv", "in the money".
    let matched = readSynonym(i);
    for (let n = matched > 0 ? 0 : Math.min(index.longestGlossaryNameFrom.get(tokens[i]!.word) ?? 0, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n);
      const words = phrase.map((token) => token.word);
      const slug = index.glossaryNames.get(words.join(' '));
      if (!slug || (n === 1 && !isIndexable(words[0]!))) continue;
      const typed = termIds(words);
      const glossaryTerm = index.kb.glossaryBySlug.get(slug)!;
      const canonical = termIds(surfaceTokens(glossaryTerm.term));
      const alternatives = [typed, canonical].filter((ids) => ids.length > 0);
      if (alternatives.length > 0) {
        const corrected = phrase.some((token) => token.corrected);
        const focus = Math.max(...phrase.map((token) => token.focus));
        const typedWeight = (corrected ? scoreWeight : 1) * focus;
        typed.forEach((id) => addWeight(id, typedWeight));
        canonical.forEach((id) => addWeight(id, typed.includes(id) ? typedWeight : RELEVANCE.expansionWeight * typedWeight));
        const group = { alternatives, weight: Math.max(...alternatives.map(idfOf)) * focus, credit: corrected ? coverageCredit : 1, slug };
        groups.push(group);
        namedGroups.push(group);
        words.filter(isIndexable).forEach((word) => seenTerms.add(stem(word)));
        matched = n;
      }
      break;
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const { word, corrected, unknown, focus } = tokens[i++]!;
    if (!isIndexable(word)) continue;
    const term = stem(word);
    if (seenTerms.has(term)) continue;
    seenTerms.add(term);
    if (unknown) {
      unknownWords.push(word);
      groups.push({ alternatives: [], weight: index.unseenIdf * focus, credit: 0 });
      continue;
    }
    const id = index.vocabulary.get(term)!;
    addWeight(id, (corrected ? scoreWeight : 1) * focus);
    groups.push({ alternatives: [[id]], weight: index.idf[id]! * focus, credit: corrected ? coverageCredit : 1 });
  }
  return { termWeights, groups, namedGroups, unknownWords };
}
