import { isIndexable, stem } from '../src/engine/text.js';
import { PlainBm25, plainTokens } from '../src/eval/bm25.js';
import { answerFrom, type RefAnswer, type RefDoc } from './minisearch-reference.js';

/** The plain BM25 reference of `npm run eval` (src/eval/bm25.ts) over the same passages, with the same excerpt. */
export class Bm25Answerer {
  private readonly bm25: PlainBm25;

  constructor(private readonly docs: RefDoc[]) {
    this.bm25 = new PlainBm25(
      docs.map((_, id) => String(id)),
      docs.map((doc) => `${doc.title} ${doc.section} ${doc.text}`),
    );
  }

  ask(question: string): RefAnswer {
    const [best] = this.bm25.search(question, 1);
    const terms = new Set(plainTokens(question).filter(isIndexable).map(stem));
    return answerFrom(best ? this.docs[Number(best.id)] : undefined, terms);
  }
}
