import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { loadEngine, type Engine } from '../../src/engine/engine.js';
import { PlainBm25, plainTokens } from '../../src/eval/bm25.js';
import { defaultSharedDir, fiqaDir, fiqaSlug } from '../../src/eval/fiqa.js';
import { hitAt1, mean, ndcgAtK, reciprocalRankAtK, scoreRankings } from '../../src/eval/metrics.js';
import { MEMBER_PARTS, MEMBERS_FLOOR, MEMBERS_TARGET, evaluateMembers, meetsFloor, readMemberQuestions, type MemberQuestion } from '../../src/eval/members.js';
import { readQuestionSet, type EvalQuestion } from '../../src/eval/questions.js';
import { QUALITY_GATE, evaluateFiqa, evaluateQuestionSet, rankSlugs } from '../../src/eval/run.js';
import { FIXTURE_KB } from '../fixtures/kb.js';

const FIQA = fiqaDir(defaultSharedDir(PROJECT_ROOT));

describe('FiQA-mini: the engine against plain BM25', () => {
  // ../shared/eval/fiqa-mini lives outside the repository; without it there is nothing to measure.
  it.skipIf(!FIQA)('ranks at least as well as the plain BM25 reference on nDCG@10 and MRR@10', async () => {
    const report = await evaluateFiqa(FIQA!);
    expect(report.queries).toBeGreaterThan(0);
    expect(report.docs).toBeGreaterThan(report.queries);
    expect(report.engine.ndcg10).toBeGreaterThanOrEqual(report.bm25.ndcg10);
    expect(report.engine.mrr10).toBeGreaterThanOrEqual(report.bm25.mrr10);
    for (const scores of [report.engine, report.bm25]) {
      for (const value of Object.values(scores)) {
        expect(value).toBeGreaterThan(0);
        expect(value).toBeLessThanOrEqual(1);
      }
    }
  }, 60_000);
});

describe('the shipped knowledge base against its question sets', () => {
  // The question set must pass the quality gate (QUALITY_GATE, also `npm run eval -- --gate`); the held-out set has
  // a regression floor. Measured 2026-12-05 (`npm run eval`): question set hit@1 0.873, false-answer rate 0.024;
  // held-out set hit@1 0.650, false-answer rate 0.029.
  const FLOORS = {
    questions: { ...QUALITY_GATE, minInDomain: 300, minOffTopic: 100 },
    holdout: { minHit1: 0.62, maxFalseAnswerRate: 0.04, minInDomain: 100, minOffTopic: 40 },
  };
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine(path.join(PROJECT_ROOT, 'knowledge'));
  });

  it.each(Object.entries(FLOORS))('%s: stays above its floor', async (set, floor) => {
    const report = evaluateQuestionSet(engine, await readQuestionSet(path.join(PROJECT_ROOT, 'tests', 'eval', set)));
    expect(report.inDomain).toBeGreaterThanOrEqual(floor.minInDomain);
    expect(report.offTopic).toBeGreaterThanOrEqual(floor.minOffTopic);
    expect(report.hit1).toBeGreaterThanOrEqual(floor.minHit1);
    expect(report.falseAnswerRate).toBeLessThanOrEqual(floor.maxFalseAnswerRate);
  }, 60_000);
});

describe('the shipped knowledge base against real members\' questions (tests/eval/members)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine(path.join(PROJECT_ROOT, 'knowledge'));
  });

  it('keeps the held-out part above its floor (MEMBERS_FLOOR; the issue 11 target is MEMBERS_TARGET)', async () => {
    const report = evaluateMembers(engine, await readMemberQuestions(path.join(PROJECT_ROOT, 'tests', 'eval', 'members'), 'heldout'));
    expect(report.covered).toBeGreaterThanOrEqual(100);
    expect(report.outside).toBeGreaterThanOrEqual(80);
    expect(report.sectionLabelled).toBeGreaterThanOrEqual(20);
    expect(meetsFloor(report, MEMBERS_FLOOR)).toEqual([]);
  }, 60_000);

  it('reads both parts, with a section label for each covered article answer', async () => {
    const dir = path.join(PROJECT_ROOT, 'tests', 'eval', 'members');
    const [tuning, heldout] = await Promise.all(MEMBER_PARTS.map((part) => readMemberQuestions(dir, part)));
    expect(tuning!.length + heldout!.length).toBe(399);
    const questions = new Set([...tuning!, ...heldout!].map((q) => q.question));
    expect(questions.size).toBe(399);
    for (const q of [...tuning!, ...heldout!]) {
      for (const slug of q.expected) {
        if (engine.kb.articleBySlug.has(slug)) expect(q.sections.has(slug), `${q.question} -> ${slug}`).toBe(true);
        else expect(engine.kb.glossaryBySlug.has(slug), `${slug} is an article or a glossary entry`).toBe(true);
      }
    }
  });
});

describe('evaluateMembers accounting (fixture knowledge base)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine(FIXTURE_KB);
  });

  const m = (question: string, kind: MemberQuestion['kind'], expected: string[] = [], sections: Array<[string, string[]]> = []): MemberQuestion => ({
    question,
    kind,
    expected,
    source: 'https://example.invalid/q',
    sections: new Map(sections),
  });

  it('counts right, wrong and unanswered covered questions, outside questions answered, ranks and sections', () => {
    const report = evaluateMembers(engine, [
      m('When do traders use an iron condor?', 'in', ['what-is-an-iron-condor'], [['what-is-an-iron-condor', ['When traders reach for it']]]), // right, right section
      m('When do traders use an iron condor?', 'in', ['what-is-an-iron-condor'], [['what-is-an-iron-condor', ['Some other heading']]]), // right, neither shown section
      m('When do traders use an iron condor?', 'in', ['vega']), // answered, wrong
      m('best mortgage rate for a first home', 'off'), // rightly unanswered
      m('what is contango', 'none'), // answered although outside: counted
    ]);
    expect(report).toMatchObject({ covered: 3, outside: 2, answeredRight: 2, answeredWrong: 1, unanswered: 0, outsideAnswered: 1, sectionLabelled: 2, sectionRight: 1 });
    expect(report.outcomes[0]!.rank).toBe(1);
    expect(report.outcomes[2]!.rank).toBe(0);
    expect(meetsFloor(report, MEMBERS_TARGET)).toEqual([
      'answered right 0.667 < 0.8',
      'answered wrong 0.333 > 0.05',
      'outside answered 0.500 > 0.03',
      'excerpt from the labelled section 0.500 < 0.7',
    ]);
  });

  it('rejects a malformed file with its line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vix-members-'));
    try {
      await writeFile(path.join(dir, 'tuning.tsv'), 'question\tkind\texpected\tsource\nwhat is vega\tin\t\thttps://x\n');
      await expect(readMemberQuestions(dir, 'tuning')).rejects.toThrow(/tuning\.tsv:2: expected slugs are required/);
      await writeFile(path.join(dir, 'tuning.tsv'), 'question\tkind\texpected\tsource\nwhat is vega\tmaybe\t\thttps://x\n');
      await expect(readMemberQuestions(dir, 'tuning')).rejects.toThrow(/tuning\.tsv:2: kind must be in, none or off/);
      await writeFile(path.join(dir, 'tuning.tsv'), 'question\tkind\texpected\tsource\nwhat is vega\tin\tvega\thttps://x\n');
      await writeFile(path.join(dir, 'sections-tuning.tsv'), 'question\tslug\tsection\nwhat is vega\tgamma\t(lead)\n');
      await expect(readMemberQuestions(dir, 'tuning')).rejects.toThrow(/sections-tuning\.tsv:2: no "in" row with this question expects gamma/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('evaluateQuestionSet accounting (fixture knowledge base)', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await loadEngine(FIXTURE_KB);
  });

  const q = (question: string, accepted: string[]): EvalQuestion => ({ file: 'fixture.yaml', question, accepted });

  it('counts hits, wrong answers, off-topic answers and unanswered questions', () => {
    const report = evaluateQuestionSet(engine, [
      q('When do traders use an iron condor?', ['article:what-is-an-iron-condor']), // hit
      q('what is an IC', ['glossary:vega']), // answered, wrong
      q('what does IV do to my pension', ['article:how-does-implied-volatility-move-option-prices']), // unanswered
      q('best mortgage rate for a first home', []), // off-topic, rightly unanswered
      q('what is contango', []), // off-topic by the set's judgement, answered: a false answer
    ]);
    expect(report).toMatchObject({ inDomain: 3, offTopic: 2, offTopicAnswered: 1, inDomainWrong: 1 });
    expect(report.hit1).toBeCloseTo(1 / 3, 10);
    expect(report.unansweredRate).toBeCloseTo(1 / 3, 10);
    expect(report.falseAnswerRate).toBeCloseTo(2 / 5, 10);
    expect(report.outcomes.map((o) => o.correct)).toEqual([true, false, false, true, false]);
    expect(report.outcomes[1]!.answered).toBe('glossary:iron-condor');
    expect(report.outcomes[2]!.answered).toBeUndefined();
  });

  it('rankSlugs gives the ranking without the answerability cut', () => {
    expect(engine.ask('what does IV do to my pension').status).toBe('unanswered');
    const ranked = rankSlugs(engine, 'what does IV do to my pension', 3);
    expect(ranked).toHaveLength(3);
    expect(ranked[0]).toBe('implied-volatility');
  });
});

describe('readQuestionSet', () => {
  it('reads entries, and names the file of an invalid one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vix-questions-set-'));
    try {
      await writeFile(path.join(dir, 'a.yaml'), '- q: "what is an IC"\n  expect: [glossary:iron-condor]\n- q: "mortgage?"\n  expect: none\n');
      expect(await readQuestionSet(dir)).toEqual([
        { file: 'a.yaml', question: 'what is an IC', accepted: ['glossary:iron-condor'] },
        { file: 'a.yaml', question: 'mortgage?', accepted: [] },
      ]);
      await writeFile(path.join(dir, 'b.yaml'), '- q: "x"\n  expect: [iron-condor]\n');
      await expect(readQuestionSet(dir)).rejects.toThrow(/^b\.yaml: 0\.expect/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ranking metrics on hand-computed rankings', () => {
  const ranked = ['a', 'b', 'c', 'd', 'e'];

  it('nDCG@k: one relevant doc at rank 2 scores 1/log2(3)', () => {
    expect(ndcgAtK(ranked, new Set(['b']))).toBeCloseTo(1 / Math.log2(3), 12); // 0.6309
    expect(ndcgAtK(ranked, new Set(['a']))).toBe(1);
  });

  it('nDCG@k: two relevant docs at ranks 1 and 3 against the ideal ranks 1 and 2', () => {
    // DCG = 1 + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) = 1.6309; nDCG = 0.9197
    expect(ndcgAtK(ranked, new Set(['a', 'c']))).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgAtK(ranked, new Set(['a', 'c']))).toBeCloseTo(0.9197, 4);
  });

  it('nDCG@k: relevant docs never retrieved count in the ideal; nothing relevant scores 0', () => {
    // One of two relevant docs at rank 1: 1 / (1 + 1/log2(3)) = 0.6131
    expect(ndcgAtK(ranked, new Set(['a', 'zz']))).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgAtK(ranked, new Set())).toBe(0);
    expect(ndcgAtK([], new Set(['a']))).toBe(0);
  });

  it('nDCG@k and MRR@k ignore what lies past the cut', () => {
    const long = Array.from({ length: 12 }, (_, i) => `d${i}`);
    expect(ndcgAtK(long, new Set(['d10']))).toBe(0);
    expect(reciprocalRankAtK(long, new Set(['d10']))).toBe(0);
    expect(reciprocalRankAtK(long, new Set(['d9']))).toBeCloseTo(0.1, 12);
    expect(ndcgAtK(ranked, new Set(['c']), 2)).toBe(0);
    expect(ndcgAtK(ranked, new Set(['c']), 3)).toBeCloseTo(0.5, 12);
  });

  it('MRR@k is the reciprocal rank of the first relevant doc', () => {
    expect(reciprocalRankAtK(ranked, new Set(['c', 'e']))).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRankAtK(ranked, new Set(['a']))).toBe(1);
    expect(reciprocalRankAtK(ranked, new Set(['zz']))).toBe(0);
  });

  it('hit@1 is whether the first doc is relevant', () => {
    expect(hitAt1(ranked, new Set(['a']))).toBe(1);
    expect(hitAt1(ranked, new Set(['b']))).toBe(0);
    expect(hitAt1([], new Set(['a']))).toBe(0);
  });

  it('scoreRankings averages over queries', () => {
    const scores = scoreRankings([
      { ranked, relevant: new Set(['a']) }, // nDCG 1, RR 1, hit 1
      { ranked, relevant: new Set(['b']) }, // nDCG 0.6309, RR 0.5, hit 0
      { ranked, relevant: new Set(['zz']) }, // 0, 0, 0
    ]);
    expect(scores.ndcg10).toBeCloseTo((1 + 1 / Math.log2(3)) / 3, 12);
    expect(scores.mrr10).toBeCloseTo(0.5, 12);
    expect(scores.hit1).toBeCloseTo(1 / 3, 12);
    expect(mean([])).toBe(0);
  });
});

describe('plain BM25 reference', () => {
  it('scores by the textbook formula (k1 1.2, b 0.75)', () => {
    const bm25 = new PlainBm25(['x', 'y', 'z'], ['apple apple banana', 'banana cherry', 'cherry date fig grape']);
    // "apple": df 1 of 3 docs, tf 2 in x (length 3, average length 3).
    const idf = Math.log(1 + (3 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * 2 * 2.2) / (2 + 1.2 * (1 - 0.75 + 0.75 * (3 / 3)));
    const hits = bm25.search('Apple!');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.id).toBe('x');
    expect(hits[0]!.score).toBeCloseTo(expected, 10);
  });

  it('ranks best first, counts a repeated query word once, and cuts at the limit', () => {
    const bm25 = new PlainBm25(['x', 'y', 'z'], ['apple apple banana', 'banana cherry', 'cherry date fig grape']);
    expect(bm25.search('banana cherry').map((h) => h.id)).toEqual(['y', 'x', 'z']);
    expect(bm25.search('banana banana')).toEqual(bm25.search('banana'));
    expect(bm25.search('banana cherry', 1)).toHaveLength(1);
    expect(bm25.search('nothing here')).toEqual([]);
    expect(plainTokens('P/E of S&P')).toEqual(['p', 'e', 'of', 's', 'p']);
  });

  it('FiQA slugs are valid article slugs', () => {
    expect(fiqaSlug('12345')).toBe('fiqa-12345');
    expect(fiqaSlug('A_b.7')).toBe('fiqa-a-b-7');
  });
});
