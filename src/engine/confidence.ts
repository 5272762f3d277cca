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
 * Answerability from query-relative features only. A wrong confident answer is worse than "I don't know yet",
 * so both the coverage floor and the combined confidence must pass.
 */
export function judgeConfidence(results: RankedResult[], query: AnalyzedQuery): Confidence {
  const [best, runnerUp] = results;
  if (!best || best.score <= 0) return { value: 0, coverage: 0, topicCoverage: 0, margin: 0, answerable: false };
  const margin = runnerUp ? Math.max(0, (best.score - runnerUp.score) / best.score) : 1;
  const { minCoverage, minTopicCoverage, minConfidence, coverageWeight, topicWeight, marginWeight, marginScale } = RELEVANCE.answer;
  const value = coverageWeight * best.coverage + topicWeight * best.topicCoverage + marginWeight * Math.min(1, margin * marginScale);
  return {
    value: Math.round(value * 1000) / 1000,
    coverage: best.coverage,
    topicCoverage: best.topicCoverage,
    margin,
    answerable:
      best.coverage >= minCoverage &&
      best.topicCoverage >= minTopicCoverage &&
      value >= minConfidence &&
      // One lone word ("thanks", "today") is no question, unless it is a glossary name ("contango?").
      (query.groups.length >= 2 || query.namedGroups.length > 0),
  };
}
