/**
 * Whether to answer: the evidence about the best result, and the confidence model that weighs it.
 */
import { findTerm } from './index.js';
import { RELEVANCE } from './relevance.js';
import type { AnalyzedQuery } from './query.js';
import type { RankedResult } from './search.js';

export interface Confidence {
  /** 0..1: coverage and topic coverage of the best result and its margin over the runner-up, weighted. */
  value: number;
  coverage: number;
  topicCoverage: number;
  /** min(1, 4 x (best - runner-up) / best): the lead of the best result; 1 when there is no runner-up. */
  margin: number;
  answerable: boolean;
  /** Which kind of evidence decided (see judgeConfidence), for `npm run eval -- --verbose` and logs. */
  evidence: string;
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
/** The evidence the confidence model reads, each roughly 0..1 (names match RELEVANCE.answer.model.weights). */
export interface ConfidenceFeatures {
  coverage: number;
  topicCoverage: number;
  margin: number;
  askedMatch: number;
  aboutNamed: number;
  namedShare: number;
  topicMass: number;
  coversQuestion: number;
  aboutNamedTerms: number;
  aboutRareWords: number;
  askedThatWay: number;
  glossary: number;
  unknownShare: number;
  length: number;
  agreement: number;
}

export function confidenceFeatures(results: RankedResult[], query: AnalyzedQuery): ConfidenceFeatures | null {
  const [best, runnerUp] = results;
  if (!best || best.score <= 0) return null;
  const margin = runnerUp ? Math.max(0, (best.score - runnerUp.score) / best.score) : 1;
  const { minCoverage, minTopicCoverage, minConfidence, coverageWeight, topicWeight, marginWeight, marginScale, named, topicMass } = RELEVANCE.answer;
  const value = coverageWeight * best.coverage + topicWeight * best.topicCoverage + marginWeight * Math.min(1, margin * marginScale);
  const namedShare = typedNamedShare(query);
  const mass = typedTopicMass(query, best);
  let total = 0;
  let unknown = 0;
  for (const group of query.groups) {
    total += group.weight;
    if (group.alternatives.length === 0) unknown += group.weight;
  }
  return {
    coverage: best.coverage,
    topicCoverage: best.topicCoverage,
    margin: Math.min(1, margin * marginScale),
    askedMatch: best.askedMatch,
    aboutNamed: best.best.aboutNamed,
    namedShare,
    topicMass: Math.min(1, mass / 8),
    coversQuestion: best.coverage >= minCoverage && best.topicCoverage >= minTopicCoverage && value >= minConfidence ? 1 : 0,
    aboutNamedTerms: namedShare >= named.minShare && best.best.aboutNamed === 1 && best.coverage >= named.minCoverage ? 1 : 0,
    aboutRareWords: mass >= topicMass.min && best.coverage >= topicMass.minCoverage ? 1 : 0,
    askedThatWay: best.askedMatch >= RELEVANCE.answer.askedMatch ? 1 : 0,
    glossary: best.kind === 'glossary' ? 1 : 0,
    unknownShare: total > 0 ? unknown / total : 0,
    length: Math.min(1, Math.log1p(query.groups.length) / Math.log(30)),
    agreement: agreement(results),
  };
}

/** 1 when the best result and the best result of the other kind are about the same thing (an article and a term it uses). */
function agreement(results: RankedResult[]): number {
  const best = results[0]!;
  const other = results.slice(1, 4).find((result) => result.kind !== best.kind);
  if (!other) return 0;
  const [article, entry] = best.kind === 'article' ? [best, other] : [other, best];
  return article.best.doc.topicIds.length > 0 && entry.best.doc.topicIds.some((id) => findTerm(article.best.doc, id, article.best.doc.topicIds) >= 0) ? 1 : 0;
}

export function judgeConfidence(results: RankedResult[], query: AnalyzedQuery): Confidence {
  const features = confidenceFeatures(results, query);
  if (!features) return { value: 0, coverage: 0, topicCoverage: 0, margin: 0, answerable: false, evidence: 'no result' };
  const { model } = RELEVANCE.answer;
  let z = model.bias;
  for (const name of Object.keys(model.weights) as Array<keyof ConfidenceFeatures>) z += model.weights[name] * features[name];
  const probability = 1 / (1 + Math.exp(-z));
  const rules = (['coversQuestion', 'aboutNamedTerms', 'aboutRareWords', 'askedThatWay'] as const).filter((rule) => features[rule] === 1);
  // One lone word ("thanks", "today") is no question, unless it is a glossary name ("contango?").
  const isQuestion = query.groups.length >= 2 || query.namedGroups.length > 0;
  const answerable = isQuestion && (probability >= model.threshold || (rules.length > 0 && probability >= model.thresholdWithRule));
  const shown = `p ${probability.toFixed(2)}; coverage ${features.coverage.toFixed(2)}, topic ${features.topicCoverage.toFixed(2)}, margin ${features.margin.toFixed(2)}`;
  return {
    value: Math.round(probability * 1000) / 1000,
    coverage: features.coverage,
    topicCoverage: features.topicCoverage,
    margin: features.margin,
    answerable,
    evidence: !isQuestion ? 'one word' : `${rules.join('+') || 'no rule'} (${shown})`,
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
