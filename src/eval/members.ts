import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LEAD_SECTION } from '../engine/answer.js';
import type { Engine } from '../engine/engine.js';

/**
 * Real members' questions (tests/eval/members, imported from a development set of questions people published on Q&A
 * sites and trading forums; see its README). Two parts, split once by a fixed rule: tuning.tsv is for choosing the
 * engine's rules, heldout.tsv is only measured. sections-<part>.tsv says, for covered questions answered by an
 * article, which section of that article answers the question.
 */
export type MemberKind = 'in' | 'none' | 'off';

export interface MemberQuestion {
  question: string;
  kind: MemberKind;
  /** Slugs (article or glossary) that answer the question's main point; empty unless kind is `in`. */
  expected: string[];
  source: string;
  /** Per expected article slug: the section headings that answer it ('(lead)' for the text before the first heading). */
  sections: Map<string, string[]>;
}

export const MEMBER_PARTS = ['tuning', 'heldout'] as const;
export type MemberPart = (typeof MEMBER_PARTS)[number];

function parseTsv(text: string, file: string, columns: string[]): string[][] {
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = lines.shift();
  if (header !== columns.join('\t')) throw new Error(`${file}: the header must be "${columns.join('<tab>')}"`);
  return lines.map((line, i) => {
    const cells = line.split('\t');
    if (cells.length !== columns.length) throw new Error(`${file}:${i + 2}: ${cells.length} columns, expected ${columns.length}`);
    return cells;
  });
}

export async function readMemberQuestions(dir: string, part: MemberPart): Promise<MemberQuestion[]> {
  const file = path.join(dir, `${part}.tsv`);
  const rows = parseTsv(await readFile(file, 'utf8'), file, ['question', 'kind', 'expected', 'source']);
  const questions = rows.map(([question, kind, expected, source], i): MemberQuestion => {
    if (kind !== 'in' && kind !== 'none' && kind !== 'off') throw new Error(`${file}:${i + 2}: kind must be in, none or off, not "${kind}"`);
    const slugs = expected!
      .split(',')
      .map((slug) => slug.trim())
      .filter(Boolean);
    if ((kind === 'in') !== slugs.length > 0) throw new Error(`${file}:${i + 2}: expected slugs are required for "in" rows and only for them`);
    return { question: question!, kind, expected: slugs, source: source!, sections: new Map() };
  });
  const sectionsFile = path.join(dir, `sections-${part}.tsv`);
  if (existsSync(sectionsFile)) {
    const byQuestion = new Map(questions.map((q) => [q.question, q]));
    parseTsv(await readFile(sectionsFile, 'utf8'), sectionsFile, ['question', 'slug', 'section']).forEach(([question, slug, section], i) => {
      const row = byQuestion.get(question!);
      if (!row || !row.expected.includes(slug!)) throw new Error(`${sectionsFile}:${i + 2}: no "in" row with this question expects ${slug}`);
      row.sections.set(
        slug!,
        section!.split(' | ').map((s) => s.trim()),
      );
    });
  }
  return questions;
}

export interface MemberOutcome {
  question: MemberQuestion;
  answered?: string;
  /** The expected slugs' best rank among the results (1-based), or 0 when none is in the top 10. */
  rank: number;
  correct: boolean;
  /** For a right article answer with a section label: whether the excerpt came from a labelled section. */
  rightSection?: boolean;
  section?: string;
  confidence: number;
  evidence: string;
}

export interface MemberReport {
  covered: number;
  outside: number;
  /** Covered questions answered with an expected slug. */
  answeredRight: number;
  answeredWrong: number;
  unanswered: number;
  /** Questions outside the knowledge base (none + off) answered anyway. */
  outsideAnswered: number;
  top1: number;
  top3: number;
  /** Right article answers with a section label, and how many of those showed the labelled section. */
  sectionLabelled: number;
  sectionRight: number;
  outcomes: MemberOutcome[];
}

export function evaluateMembers(engine: Engine, questions: MemberQuestion[]): MemberReport {
  const outcomes = questions.map((question): MemberOutcome => {
    const result = engine.ask(question.question);
    const expected = new Set(question.expected);
    const rank = result.results.findIndex((r) => expected.has(r.slug)) + 1;
    const answered = result.answer?.slug;
    const correct = question.kind === 'in' ? answered !== undefined && expected.has(answered) : answered === undefined;
    const outcome: MemberOutcome = { question, rank, correct, confidence: result.confidence, evidence: result.evidence ?? '' };
    if (answered) outcome.answered = `${result.answer!.kind}:${answered}`;
    if (correct && result.answer?.kind === 'article') {
      const labels = question.sections.get(answered!);
      const shown = result.answer.sections ?? [result.answer.section ?? LEAD_SECTION];
      outcome.section = shown.join(' + ');
      if (labels) outcome.rightSection = shown.some((section) => labels.includes(section));
    }
    return outcome;
  });
  const covered = outcomes.filter((o) => o.question.kind === 'in');
  const outside = outcomes.filter((o) => o.question.kind !== 'in');
  const labelled = covered.filter((o) => o.rightSection !== undefined);
  return {
    covered: covered.length,
    outside: outside.length,
    answeredRight: covered.filter((o) => o.correct).length,
    answeredWrong: covered.filter((o) => o.answered && !o.correct).length,
    unanswered: covered.filter((o) => !o.answered).length,
    outsideAnswered: outside.filter((o) => o.answered).length,
    top1: covered.filter((o) => o.rank === 1).length,
    top3: covered.filter((o) => o.rank >= 1 && o.rank <= 3).length,
    sectionLabelled: labelled.length,
    sectionRight: labelled.filter((o) => o.rightSection).length,
    outcomes,
  };
}

/**
 * The target for the held-out part (issue 11): covered questions answered right >= 0.80, wrong <= 0.05, questions
 * outside the knowledge base answered <= 0.03, excerpt from the labelled section >= 0.70 of the right article answers.
 */
export const MEMBERS_TARGET = { minAnsweredRight: 0.8, maxAnsweredWrong: 0.05, maxOutsideAnswered: 0.03, minSectionRight: 0.7 } as const;
/**
 * What CI enforces on the held-out part until the target is reached: the figures measured when the floor was last
 * raised (see README "Relevance"), less one or two questions of slack, so that a change that loses answers or adds
 * wrong ones fails.
 */
export const MEMBERS_FLOOR = { minAnsweredRight: 0.4, maxAnsweredWrong: 0.07, maxOutsideAnswered: 0.09, minSectionRight: 0.6 } as const;

export type MemberThresholds = typeof MEMBERS_TARGET | typeof MEMBERS_FLOOR;

/** The ways a report falls short of the thresholds, each as a sentence; empty when it meets them. */
export function meetsFloor(report: MemberReport, thresholds: MemberThresholds): string[] {
  const rates = memberRates(report);
  const shortfalls: string[] = [];
  if (rates.answeredRight < thresholds.minAnsweredRight) shortfalls.push(`answered right ${rates.answeredRight.toFixed(3)} < ${thresholds.minAnsweredRight}`);
  if (rates.answeredWrong > thresholds.maxAnsweredWrong) shortfalls.push(`answered wrong ${rates.answeredWrong.toFixed(3)} > ${thresholds.maxAnsweredWrong}`);
  if (rates.outsideAnswered > thresholds.maxOutsideAnswered)
    shortfalls.push(`outside answered ${rates.outsideAnswered.toFixed(3)} > ${thresholds.maxOutsideAnswered}`);
  if (rates.sectionRight < thresholds.minSectionRight)
    shortfalls.push(`excerpt from the labelled section ${rates.sectionRight.toFixed(3)} < ${thresholds.minSectionRight}`);
  return shortfalls;
}

export function memberRates(report: MemberReport) {
  const share = (n: number, of: number) => n / Math.max(1, of);
  return {
    answeredRight: share(report.answeredRight, report.covered),
    answeredWrong: share(report.answeredWrong, report.covered),
    unanswered: share(report.unanswered, report.covered),
    outsideAnswered: share(report.outsideAnswered, report.outside),
    top1: share(report.top1, report.covered),
    top3: share(report.top3, report.covered),
    sectionRight: share(report.sectionRight, report.sectionLabelled),
  };
}
