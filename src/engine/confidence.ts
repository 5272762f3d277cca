import { RELEVANCE } from './relevance.js';
import type { RankedResult } from './search.js';

export interface Confidence {
  /** 0..1: coverage of the best result, nudged by its margin over the runner-up. */
  value: number;
  coverage: number;
  /** (best - runner-up) / best, 0..1; 1 when there is no runner-up. */
  margin: number;
  answerable: boolean;
}

/**
 * Answerability from query-relative features only. A wrong confident answer is worse than "I don't know yet",
 * so both the coverage floor and the combined confidence must pass.
 */
export function judgeConfidence(results: RankedResult[]): Confidence {
  const [best, runnerUp] = results;
  if (!best || best.score <= 0) return { value: 0, coverage: 0, margin: 0, answerable: false };
  const margin = runnerUp ? Math.max(0, (best.score - runnerUp.score) / best.score) : 1;
  const { minCoverage, minConfidence, marginWeight, marginScale } = RELEVANCE.answer;
  const value = best.coverage * (1 - marginWeight) + marginWeight * Math.min(1, margin * marginScale);
  return {
    value: Math.round(value * 1000) / 1000,
    coverage: best.coverage,
    margin,
    answerable: best.coverage >= minCoverage && value >= minConfidence,
  };
}
