/**
 * The engine: a knowledge base in, an answer (or an honest "not yet") out, with no Discord in sight. Engine.ask
 * reads the question (query.ts), ranks (search.ts), judges confidence (confidence.ts) and composes the answer.
 */
import { loadKnowledgeBase } from '../knowledge/read.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { composeAnswer, type Answer } from './answer.js';
import { judgeConfidence } from './confidence.js';
import { GlossaryIndex } from './glossary.js';
import type { TimeSlicer } from '../slices.js';
import { buildSearchIndex, buildSearchIndexInSlices, withAskedPhrasings, type SearchIndex } from './index.js';
import { checkQuestion, cleanQuestion, MAX_QUESTION_CHARS, withoutChatMarkup } from './question.js';
import { analyze, phraseOf } from './text.js';
import { answeringPassage } from './passage.js';
import { analyzeQuery, type AnalyzedQuery } from './query.js';
import { rankQuestion, type RankedResult } from './search.js';

export interface ResultSummary {
  kind: 'article' | 'glossary';
  slug: string;
  title: string;
  score: number;
}

export type UnansweredReason = 'empty' | 'too_long' | 'no_words' | 'no_match' | 'low_confidence' | 'out_of_scope';

export interface AskResult {
  /** The question as cleaned (control characters removed, whitespace collapsed). */
  question: string;
  status: 'answered' | 'unanswered';
  /** Why there is no answer; absent when answered. */
  reason?: UnansweredReason;
  /** A sentence for the member when there is no answer. */
  message?: string;
  answer: Answer | null;
  /** Up to 10, best first, whether or not the question was answered. */
  results: ResultSummary[];
  /** For unanswered questions: up to 3 close articles or terms ("did you mean"). */
  suggestions: ResultSummary[];
  confidence: number;
  /** Question words the knowledge base does not know. */
  unknownWords: string[];
  /** What decided the answer or its absence (the confidence rule's evidence), for editors and `eval --verbose`. */
  evidence?: string;
}

/**
 * A phrasing of an article's question that an editor taught the bot (by resolving a member's question with the
 * article): searched like the article's `asked` list, never shown.
 */
export interface LearnedPhrasing {
  slug: string;
  text: string;
}

export interface LearnedOutcome {
  /** The engine answering with the phrasings (this engine itself when none apply). */
  engine: Engine;
  /** Phrasings now searched (those the article's own `asked` list or an earlier one already has are not repeated). */
  applied: number;
  /** Phrasings of articles the knowledge base does not have (any more): not searched. */
  dropped: LearnedPhrasing[];
}

/** A "did you mean" must match at least this share of the question, or it is noise. */
const SUGGESTION_MIN_COVERAGE = 0.34;

export class Engine {
  readonly index: SearchIndex;
  readonly glossary: GlossaryIndex;

  /** site.yaml's out_of_scope phrases, as space-padded token sequences (see phraseOf). */
  private readonly outOfScope: string[];

  /** The engine of the knowledge files alone, which learned phrasings are applied to (this one unless derived). */
  private readonly fromFiles: Engine;

  /**
   * Learned phrasings by their words (analyze, joined) -> article slug: a question an editor resolved, asked again
   * in the same words, is answered with the editor's article whatever the confidence model says of its wording.
   */
  private learnedExact = new Map<string, string>();

  /** Builds the search index from `kb`, unless one built from it is given (see Engine.buildInSlices). */
  constructor(
    readonly kb: KnowledgeBase,
    index: SearchIndex = buildSearchIndex(kb),
    derivedFrom?: Engine,
  ) {
    this.index = index;
    this.fromFiles = derivedFrom ?? this;
    this.glossary = derivedFrom?.glossary ?? new GlossaryIndex(kb);
    this.outOfScope = derivedFrom?.outOfScope ?? kb.site.outOfScope.map(phraseOf).filter((phrase) => phrase.trim().length > 0);
  }

  /**
   * This knowledge base with the learned phrasings added to their articles' `asked` lists (replacing any applied
   * before): the same evidence and the same field as phrasings written in the files. Never an answer of its own:
   * a phrasing of an article that does not exist is dropped, and one already listed is not counted twice.
   */
  withLearned(phrasings: readonly LearnedPhrasing[]): LearnedOutcome {
    const files = this.fromFiles;
    const bySlug = new Map<string, string[]>();
    const exact = new Map<string, string>();
    const seen = new Map<string, Set<string>>();
    const dropped: LearnedPhrasing[] = [];
    let applied = 0;
    for (const phrasing of phrasings) {
      const article = files.kb.articleBySlug.get(phrasing.slug);
      if (!article) {
        dropped.push(phrasing);
        continue;
      }
      const text = cleanQuestion(phrasing.text).slice(0, MAX_QUESTION_CHARS);
      const key = analyze(text).join(' ');
      let known = seen.get(article.slug);
      if (!known) seen.set(article.slug, (known = new Set(article.asked.map((own) => analyze(own).join(' ')))));
      if (key === '' || known.has(key)) continue;
      known.add(key);
      exact.set(key, article.slug);
      const list = bySlug.get(article.slug);
      if (list) list.push(text);
      else bySlug.set(article.slug, [text]);
      applied++;
    }
    if (bySlug.size === 0) return { engine: files, applied, dropped };
    const engine = new Engine(files.kb, withAskedPhrasings(files.index, bySlug), files);
    engine.learnedExact = exact;
    return { engine, applied, dropped };
  }

  /** An engine built in slices of the slicer's budget (a reload in a running bot: interactions keep being served). */
  static async buildInSlices(kb: KnowledgeBase, slicer: TimeSlicer): Promise<Engine> {
    return new Engine(kb, await buildSearchIndexInSlices(kb, slicer));
  }

  /** The first out-of-scope phrase the question uses, if any. */
  outOfScopePhrase(question: string): string | undefined {
    const phrase = phraseOf(question);
    return this.outOfScope.find((scope) => phrase.includes(scope))?.trim();
  }

  /** The answer from the best result, with the passage(s) of the article that answer the question. */
  private composeBest(best: RankedResult, query: AnalyzedQuery, confidence: number): Answer {
    const { second, ...passage } = answeringPassage(this.index, query, best);
    return composeAnswer(this.index, { ...best, ...passage }, confidence, second);
  }

  ask(rawQuestion: string): AskResult {
    const check = checkQuestion(rawQuestion);
    const unanswered = (question: string, reason: UnansweredReason, message: string, rest: Partial<AskResult> = {}): AskResult => ({
      question,
      status: 'unanswered',
      reason,
      message,
      answer: null,
      results: [],
      suggestions: [],
      confidence: 0,
      unknownWords: [],
      ...rest,
    });
    if (!check.ok) return unanswered(rawQuestion.slice(0, 200), check.reason, check.message);

    const searched = withoutChatMarkup(check.question);
    const query = analyzeQuery(this.index, searched);
    if (query.groups.length === 0) {
      return unanswered(check.question, 'no_words', 'That question has no words to look up: try asking it in a sentence.');
    }
    const ranked = rankQuestion(this.index, query);
    const results = ranked.map(({ kind, slug, title, score }) => ({ kind, slug, title, score: Math.round(score * 1000) / 1000 }));
    const confidence = judgeConfidence(ranked, query);
    const outOfScope = this.outOfScopePhrase(searched);
    if (outOfScope !== undefined) {
      return unanswered(
        check.question,
        'out_of_scope',
        "That is outside what this knowledge base covers (options, volatility and trading), so I can't answer it.",
        {
          results,
          confidence: confidence.value,
          unknownWords: query.unknownWords,
          evidence: `out of scope ("${outOfScope}")`,
        },
      );
    }
    // The same words as a question an editor resolved: the editor's article, if the search ranks it at all.
    const taughtSlug = this.learnedExact.size > 0 ? this.learnedExact.get(analyze(searched).join(' ')) : undefined;
    const taught = taughtSlug === undefined ? undefined : ranked.find((result) => result.kind === 'article' && result.slug === taughtSlug);
    if (taught && (!confidence.answerable || ranked[0] !== taught)) {
      return {
        question: check.question,
        status: 'answered',
        answer: this.composeBest(taught, query, confidence.value),
        results,
        suggestions: [],
        confidence: confidence.value,
        unknownWords: query.unknownWords,
        evidence: `resolved by an editor in these words (${confidence.evidence})`,
      };
    }
    if (!confidence.answerable || !ranked[0]) {
      const suggestions = ranked.filter((result) => result.coverage >= SUGGESTION_MIN_COVERAGE).slice(0, 3);
      return unanswered(check.question, ranked.length === 0 ? 'no_match' : 'low_confidence', "I don't have a confident answer to that yet.", {
        results,
        suggestions: results.filter((result) => suggestions.some((s) => s.kind === result.kind && s.slug === result.slug)),
        confidence: confidence.value,
        unknownWords: query.unknownWords,
        evidence: confidence.evidence,
      });
    }
    return {
      question: check.question,
      status: 'answered',
      answer: this.composeBest(ranked[0], query, confidence.value),
      results,
      suggestions: [],
      confidence: confidence.value,
      unknownWords: query.unknownWords,
      evidence: confidence.evidence,
    };
  }
}

export async function loadEngine(dir: string): Promise<Engine> {
  return new Engine(await loadKnowledgeBase(dir));
}
