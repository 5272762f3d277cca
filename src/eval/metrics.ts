/** Ranking metrics with binary relevance, cut at k. */

export function ndcgAtK(ranked: string[], relevant: ReadonlySet<string>, k = 10): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

export function reciprocalRankAtK(ranked: string[], relevant: ReadonlySet<string>, k = 10): number {
  const position = ranked.slice(0, k).findIndex((id) => relevant.has(id));
  return position >= 0 ? 1 / (position + 1) : 0;
}

export function hitAt1(ranked: string[], relevant: ReadonlySet<string>): number {
  return ranked.length > 0 && relevant.has(ranked[0]!) ? 1 : 0;
}

export function mean(values: number[]): number {
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;
}

export interface RankingScores {
  ndcg10: number;
  mrr10: number;
  hit1: number;
}

export function scoreRankings(runs: Array<{ ranked: string[]; relevant: ReadonlySet<string> }>): RankingScores {
  return {
    ndcg10: mean(runs.map((run) => ndcgAtK(run.ranked, run.relevant))),
    mrr10: mean(runs.map((run) => reciprocalRankAtK(run.ranked, run.relevant))),
    hit1: mean(runs.map((run) => hitAt1(run.ranked, run.relevant))),
  };
}
