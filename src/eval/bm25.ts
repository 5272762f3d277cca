/**
 * The plain BM25 reference (k1 1.2, b 0.75, lower-cased word tokens, no stemming, no stop words): the yardstick
 * the engine must match or beat on relevance. Evaluation and benchmark code only; not used to answer members.
 */
export function plainTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export class PlainBm25 {
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly lengths: number[];
  private readonly avgLength: number;

  constructor(
    private readonly ids: string[],
    texts: string[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.lengths = texts.map((text, doc) => {
      const counts = new Map<string, number>();
      const tokens = plainTokens(text);
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [token, count] of counts) {
        let list = this.postings.get(token);
        if (!list) this.postings.set(token, (list = []));
        list.push([doc, count]);
      }
      return tokens.length;
    });
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  search(query: string, limit = 10): Array<{ id: string; score: number }> {
    const scores = new Map<number, number>();
    const n = this.ids.length;
    for (const token of new Set(plainTokens(query))) {
      const list = this.postings.get(token);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, tf] of list) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / norm);
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([doc, score]) => ({ id: this.ids[doc]!, score }));
  }
}
