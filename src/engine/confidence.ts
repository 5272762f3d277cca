import { findTerm } from './index.js';
import { RELEVANCE } from './relevance.js';
import type { AnalyzedQuery, RankedResult } from './search.js';

export interface Confidence {
  /** 0..1: coverage and topic coverage of the best result and its margin over the runner-up, weighted. */
  value: number;
  coverage: number;
  topicCoverage: number;
  /** (best - runner-up) / best, 0..1; 1 when there is no runner-up. */
  margin: number;
  answerable: boolean;
}

/**
 * Answerability from query-relative features only. A wrong confident answer is worse than "I don't know yet".
 * The best result is accepted on one of four kinds of evidence (see RELEVANCE.answer for the figures):
 * 1. it covers most of the question and is about it (coverage and topic coverage floors, combined value);
 * 2. it is about every glossary name the question uses, and those names are a good part of the question;
 * 3. its title, heading, tags or names carry a large IDF mass of the question's words as typed: a long question
 *    ("opened a short strangle at 45 dte and now the gamma is insane, why") matches a small share of its words
 *    however relevant the answer, and off-topic questions rarely use the rare words of the knowledge base;
 * 4. the question closely matches one of the article's `asked` phrasings: members describe a situation ("the
 *    stock went nowhere and my long call still lost money") in words the passage that explains it does not use.
 * Typo-corrected words count only in (1) and (4), and for less: a correction is a guess ("rent" -> REIT), not
 * something the member said.
 */
export function judgeConfidence(results: RankedResult[], query: AnalyzedQuery): Confidence {
  const [best, runnerUp] = results;
  if (!best || best.score <= 0) return { value: 0, coverage: 0, topicCoverage: 0, margin: 0, answerable: false };
  const margin = runnerUp ? Math.max(0, (best.score - runnerUp.score) / best.score) : 1;
  const { minCoverage, minTopicCoverage, minConfidence, coverageWeight, topicWeight, marginWeight, marginScale, named, topicMass } = RELEVANCE.answer;
  const value = coverageWeight * best.coverage + topicWeight * best.topicCoverage + marginWeight * Math.min(1, margin * marginScale);
  const isQuestion = query.groups.length >= 2 || query.namedGroups.length > 0;
  const coversQuestion = best.coverage >= minCoverage && best.topicCoverage >= minTopicCoverage && value >= minConfidence;
  const aboutNamedTerms = typedNamedShare(query) >= named.minShare && best.best.aboutNamed === 1 && best.coverage >= named.minCoverage;
  const aboutRareWords = typedTopicMass(query, best) >= topicMass.min && best.coverage >= topicMass.minCoverage;
  const askedThatWay = best.askedMatch >= RELEVANCE.answer.askedMatch;
  return {
    value: Math.round(value * 1000) / 1000,
    coverage: best.coverage,
    topicCoverage: best.topicCoverage,
    margin,
    // One lone word ("thanks", "today") is no question, unless it is a glossary name ("contango?").
    answerable: isQuestion && (coversQuestion || aboutNamedTerms || aboutRareWords || askedThatWay),
  };
}

/** IDF-weighted share of the question that is glossary names as typed. */
function typedNamedShare(query: AnalyzedQuery): number {
  let named = 0;
  let total = 0;
  for (const group of query.groups) {
    total += group.weight;
    if (group.slug !== undefined && group.credit === 1) named += group.weight;
  }
  return total > 0 ? named / total : 0;
}

/** IDF mass of the question's typed words (or names) found in the best result's title, heading, tags or names. */
function typedTopicMass(query: AnalyzedQuery, best: RankedResult): number {
  const doc = best.best.doc;
  let mass = 0;
  for (const group of query.groups) {
    if (group.credit !== 1) continue;
    if (group.alternatives.some((ids) => ids.length > 0 && ids.every((id) => findTerm(doc, id, doc.topicIds) >= 0))) mass += group.weight;
  }
  return mass;
}
