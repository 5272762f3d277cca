/**
 * Measures one corpus in a fresh process (run by bench/run.ts, one child per corpus, so heap and RSS are the
 * engine's own): cold start, memory, Engine.ask latency, autocomplete latency, reload, and the same questions
 * through the MiniSearch and plain BM25 reference paths. Prints one `BENCH_RESULT {json}` line on stdout.
 */
import { parseArgs } from 'node:util';
import { Engine } from '../src/engine/engine.js';
import { findCandidates, oramaSearchCandidates } from '../src/engine/orama/candidates.js';
import { analyzeQuery } from '../src/engine/query.js';
import { KnowledgeService } from '../src/engine/service.js';
import { KnowledgeError, readKnowledgeBase } from '../src/knowledge/read.js';
import { Bm25Answerer } from './bm25-reference.js';
import { MiniSearchAnswerer, referenceDocs, type RefAnswer } from './minisearch-reference.js';
import { generatePrefixes, generateQuestions } from './questions.js';
import { summarize, type Timing } from './random.js';

export interface ReferenceResult {
  buildMs: number;
  /** The first `questions` of the engine's question list (all of them up to 30k docs). */
  questions: number;
  answer: Timing;
  answered: number;
  /** Share of questions whose best result is the engine's best result. */
  top1AgreementWithEngine: number;
}

export interface CorpusResult {
  name: string;
  articles: number;
  passages: number;
  glossary: number;
  docs: number;
  vocabulary: number;
  coldStartMs: number;
  readMs: number;
  indexMs: number;
  heapMB: number;
  rssMB: number;
  questions: number;
  answer: Timing;
  answered: number;
  byKind: Record<string, Timing>;
  /** Questions on which the engine's candidate retrieval equals Orama's own search (identical ids, same order). */
  candidatesCheck: { checked: number; identical: number; fastPath: boolean };
  autocomplete: Timing | null;
  /** LEARNED_PHRASINGS learned phrasings applied over the engine: the time to apply them, and the answers with them. */
  learned: { phrasings: number; applyMs: number; answer: Timing };
  reloadMs: number;
  /** Latency of answers asked every 10 ms during the reloads, from when each was due. */
  answerDuringReload: Timing | null;
  minisearch: ReferenceResult | null;
  bm25: ReferenceResult | null;
}

/** Learned phrasings applied in the bench (the shipped knowledge files list about 1,000 `asked` phrasings). */
const LEARNED_PHRASINGS = 500;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const log = (message: string) => process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Times `run` on every input, after a warm-up on the first ones (the answer path is timed interleaved, below). */
function timeEach<T>(inputs: T[], run: (input: T) => void, warmup = 200): number[] {
  for (let i = 0; i < Math.min(warmup, inputs.length); i++) run(inputs[i]!);
  return inputs.map((input) => {
    const started = performance.now();
    run(input);
    return performance.now() - started;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      dir: { type: 'string' },
      questions: { type: 'string', default: '1200' },
      prefixes: { type: 'string', default: '2000' },
      'no-references': { type: 'boolean', default: false },
      'reference-questions': { type: 'string' },
    },
  });
  const name = values.name ?? 'corpus';
  const dir = values.dir!;

  gc();
  const started = performance.now();
  const { kb, issues } = await readKnowledgeBase(dir);
  if (!kb) throw new KnowledgeError(issues);
  const read = performance.now();
  const engine = new Engine(kb);
  const indexed = performance.now();
  const service = new KnowledgeService(dir, engine);
  gc();
  gc();
  const memory = process.memoryUsage();
  log(
    `${name}: started in ${Math.round(indexed - started)} ms (read ${Math.round(read - started)}, index ${Math.round(indexed - read)}), heap ${mb(memory.heapUsed)} MB, rss ${mb(memory.rss)} MB`,
  );

  const questions = generateQuestions(kb, Number(values.questions));

  // The references are built first and timed on the same questions interleaved with the engine: question by
  // question, the three answer in turn (the order rotating), so a change of load on a shared machine or a GC
  // pause hits all three alike. (Timed one system after the other, the ratios moved by up to 2x between runs.)
  // They are slow at 100k passages (MiniSearch p50 ~160 ms): above 30k docs they answer the first
  // --reference-questions of the list (default 300), so the whole bench stays near 10 minutes.
  const referenceCount = values['no-references']
    ? 0
    : values['reference-questions']
      ? Number(values['reference-questions'])
      : engine.index.docs.length > 30_000
        ? 300
        : questions.length;
  const references: Array<{ label: string; buildMs: number; answerer: { ask(question: string): RefAnswer } }> = [];
  if (referenceCount > 0) {
    const docs = referenceDocs(kb);
    for (const [label, build] of [
      ['MiniSearch', () => new MiniSearchAnswerer(docs)],
      ['plain BM25', () => new Bm25Answerer(docs)],
    ] as const) {
      gc();
      const buildStarted = performance.now();
      const answerer = build();
      references.push({ label, buildMs: Math.round(performance.now() - buildStarted), answerer });
    }
  }
  gc();

  const engineTop: Array<string | null> = [];
  let answered = 0;
  const askTimes: number[] = [];
  const refTimes = references.map(() => [] as number[]);
  const refSlugs = references.map(() => [] as Array<string | null>);
  const warmup = Math.min(referenceCount < questions.length ? 30 : 200, questions.length);
  for (const question of questions.slice(0, warmup)) {
    engine.ask(question.text);
    for (const { answerer } of references) answerer.ask(question.text);
  }
  questions.forEach((question, i) => {
    const withReferences = i < referenceCount;
    const count = withReferences ? 1 + references.length : 1;
    for (let k = 0; k < count; k++) {
      const system = (i + k) % count;
      const started = performance.now();
      if (system === 0) {
        const result = engine.ask(question.text);
        askTimes.push(performance.now() - started);
        if (result.status === 'answered') answered++;
        engineTop.push(result.results[0] ? `${result.results[0].kind}:${result.results[0].slug}` : null);
      } else {
        const { slug } = references[system - 1]!.answerer.ask(question.text);
        refTimes[system - 1]!.push(performance.now() - started);
        refSlugs[system - 1]!.push(slug);
      }
    }
  });
  const byKind: Record<string, Timing> = {};
  for (const kind of new Set(questions.map((q) => q.kind))) {
    byKind[kind] = summarize(askTimes.filter((_, i) => questions[i]!.kind === kind));
  }
  const answer = summarize(askTimes);
  log(`${name}: answer p50 ${answer.p50} ms, p99 ${answer.p99} ms over ${questions.length} questions (${answered} answered)`);
  const referenceResults = references.map(({ label, buildMs }, r): ReferenceResult => {
    const slugs = refSlugs[r]!;
    const result = {
      buildMs,
      questions: slugs.length,
      answer: summarize(refTimes[r]!),
      answered: slugs.filter(Boolean).length,
      top1AgreementWithEngine: Math.round((slugs.filter((slug, i) => slug === engineTop[i]).length / slugs.length) * 1000) / 1000,
    };
    log(`${name}: ${label} built in ${buildMs} ms, answer p50 ${result.answer.p50} ms, p99 ${result.answer.p99} ms`);
    return result;
  });
  const minisearch = referenceResults[0] ?? null;
  const bm25 = referenceResults[1] ?? null;
  references.length = 0; // free the references before the reloads are timed

  // The fast candidate path must return exactly what Orama's search returns (index.ts, OramaPostings).
  // Orama's own search is the slow path (about 30 ms a question at 10k passages, far more at 100k): check a sample there.
  const docCount = engine.index.docs.length;
  const checkedQuestions = questions.slice(0, docCount <= 3000 ? questions.length : docCount <= 30_000 ? 200 : 20);
  let identical = 0;
  for (const question of checkedQuestions) {
    const query = analyzeQuery(engine.index, question.text);
    if (query.termWeights.size === 0 || findCandidates(engine.index, query).join() === oramaSearchCandidates(engine.index, query).join()) identical++;
  }
  const candidatesCheck = { checked: checkedQuestions.length, identical, fastPath: engine.index.postings !== null };
  log(
    `${name}: candidates identical to Orama search on ${identical}/${checkedQuestions.length} questions (fast path ${candidatesCheck.fastPath ? 'on' : 'off'})`,
  );

  const prefixes = generatePrefixes(kb, Number(values.prefixes));
  const autocomplete = prefixes.length > 0 ? summarize(timeEach(prefixes, (prefix) => engine.glossary.complete(prefix))) : null;
  if (autocomplete) log(`${name}: autocomplete p50 ${autocomplete.p50} ms, p99 ${autocomplete.p99} ms over ${prefixes.length} prefixes`);

  // Editors' learned phrasings applied over the engine (what a resolve does), then the same questions with them.
  const learnedPhrasings = generateQuestions(kb, LEARNED_PHRASINGS, 11).map((question, i) => ({
    slug: kb.articles[(i * 7919) % Math.max(1, kb.articles.length)]?.slug ?? '',
    text: question.text,
  }));
  gc();
  const applyStarted = performance.now();
  const withLearned = engine.withLearned(learnedPhrasings).engine;
  const learnedApplyMs = Math.round((performance.now() - applyStarted) * 10) / 10;
  // As before the answers above: the garbage of what came before is not the answers' to collect.
  gc();
  const learnedAnswer = summarize(timeEach(questions, (question) => withLearned.ask(question.text)));
  log(
    `${name}: ${learnedPhrasings.length} learned phrasings applied in ${learnedApplyMs} ms; answer with them p50 ${learnedAnswer.p50} ms, p99 ${learnedAnswer.p99} ms`,
  );

  // Reloads while a member asks every 10 ms: each answer's latency counts from when its timer was due, so time the
  // reload holds the event loop shows up as latency, as it would for Discord's interactions.
  const reloads: number[] = [];
  const duringReload: number[] = [];
  for (let i = 0; i < (kb.articles.length + kb.glossary.length < 3000 ? 3 : 1); i++) {
    let due = performance.now() + 10;
    let asked = 0;
    const timer = setInterval(() => {
      service.current().ask(questions[asked++ % questions.length]!.text);
      duringReload.push(performance.now() - due);
      due = performance.now() + 10;
    }, 10);
    const result = await service.reload();
    clearInterval(timer);
    if (!result.ok) throw new KnowledgeError(result.issues);
    reloads.push(result.ms);
  }
  const reloadMs = summarize(reloads).p50;
  const answerDuringReload = duringReload.length > 0 ? summarize(duringReload) : null;
  log(
    `${name}: reload ${Math.round(reloadMs)} ms; answers during the reload p50 ${answerDuringReload?.p50 ?? '-'} / p99 ${answerDuringReload?.p99 ?? '-'} ms (${duringReload.length})`,
  );

  const result: CorpusResult = {
    name,
    articles: kb.articles.length,
    passages: kb.articles.reduce((sum, article) => sum + article.passages.length, 0),
    glossary: kb.glossary.length,
    docs: engine.index.docs.length,
    vocabulary: engine.index.terms.length,
    coldStartMs: Math.round(indexed - started),
    readMs: Math.round(read - started),
    indexMs: Math.round(indexed - read),
    heapMB: mb(memory.heapUsed),
    rssMB: mb(memory.rss),
    questions: questions.length,
    answer,
    answered,
    byKind,
    candidatesCheck,
    autocomplete,
    learned: { phrasings: learnedPhrasings.length, applyMs: learnedApplyMs, answer: learnedAnswer },
    reloadMs: Math.round(reloadMs),
    answerDuringReload,
    minisearch,
    bm25,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
