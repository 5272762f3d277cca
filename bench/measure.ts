/**
 * Measures one corpus in a fresh process (run by bench/run.ts, one child per corpus, so heap and RSS are the
 * engine's own): cold start, memory, Engine.ask latency, autocomplete latency, reload, and the same questions
 * through the MiniSearch and plain BM25 reference paths. Prints one `BENCH_RESULT {json}` line on stdout.
 */
import { parseArgs } from 'node:util';
import { Engine } from '../src/engine/engine.js';
import { analyzeQuery, findCandidates, oramaSearchCandidates } from '../src/engine/search.js';
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
  reloadMs: number;
  minisearch: ReferenceResult | null;
  bm25: ReferenceResult | null;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const log = (message: string) => process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Times `run` on every input (after a warm-up on the first ones) and hands each result to `keep`. */
function timeEach<T, R>(inputs: T[], run: (input: T) => R, keep: (result: R, i: number) => void = () => {}, warmup = 200): number[] {
  for (let i = 0; i < Math.min(warmup, inputs.length); i++) run(inputs[i]!);
  return inputs.map((input, i) => {
    const started = performance.now();
    const result = run(input);
    const ms = performance.now() - started;
    keep(result, i);
    return ms;
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
  log(`${name}: started in ${Math.round(indexed - started)} ms (read ${Math.round(read - started)}, index ${Math.round(indexed - read)}), heap ${mb(memory.heapUsed)} MB, rss ${mb(memory.rss)} MB`);

  const questions = generateQuestions(kb, Number(values.questions));
  const engineTop: Array<string | null> = [];
  let answered = 0;
  const askTimes = timeEach(
    questions,
    (question) => engine.ask(question.text),
    (result) => {
      if (result.status === 'answered') answered++;
      const top = result.results[0];
      engineTop.push(top ? `${top.kind}:${top.slug}` : null);
    },
  );
  const byKind: Record<string, Timing> = {};
  for (const kind of new Set(questions.map((q) => q.kind))) {
    byKind[kind] = summarize(askTimes.filter((_, i) => questions[i]!.kind === kind));
  }
  const answer = summarize(askTimes);
  log(`${name}: answer p50 ${answer.p50} ms, p99 ${answer.p99} ms over ${questions.length} questions (${answered} answered)`);

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
  log(`${name}: candidates identical to Orama search on ${identical}/${checkedQuestions.length} questions (fast path ${candidatesCheck.fastPath ? 'on' : 'off'})`);

  const prefixes = generatePrefixes(kb, Number(values.prefixes));
  const autocomplete = prefixes.length > 0 ? summarize(timeEach(prefixes, (prefix) => void engine.glossary.complete(prefix))) : null;
  if (autocomplete) log(`${name}: autocomplete p50 ${autocomplete.p50} ms, p99 ${autocomplete.p99} ms over ${prefixes.length} prefixes`);

  const reloads: number[] = [];
  for (let i = 0; i < (kb.articles.length + kb.glossary.length < 3000 ? 3 : 1); i++) {
    const result = await service.reload();
    if (!result.ok) throw new KnowledgeError(result.issues);
    reloads.push(result.ms);
  }
  const reloadMs = summarize(reloads).p50;
  log(`${name}: reload ${Math.round(reloadMs)} ms`);

  // The references are slow at 100k passages (MiniSearch p50 ~160 ms): above 30k docs they answer the first
  // --reference-questions of the same question list (default 300), so the whole bench stays near 10 minutes.
  const referenceQuestions = questions.slice(0, values['reference-questions'] ? Number(values['reference-questions']) : engine.index.docs.length > 30_000 ? 300 : questions.length);
  const reference = (label: string, build: () => { ask(question: string): RefAnswer }): ReferenceResult => {
    gc();
    const buildStarted = performance.now();
    const answerer = build();
    const buildMs = performance.now() - buildStarted;
    let agree = 0;
    let refAnswered = 0;
    const times = timeEach(
      referenceQuestions,
      (question) => answerer.ask(question.text),
      ({ slug }, i) => {
        if (slug) refAnswered++;
        if (slug === engineTop[i]) agree++;
      },
      referenceQuestions.length < questions.length ? 30 : 200,
    );
    const result = { buildMs: Math.round(buildMs), questions: referenceQuestions.length, answer: summarize(times), answered: refAnswered, top1AgreementWithEngine: Math.round((agree / referenceQuestions.length) * 1000) / 1000 };
    log(`${name}: ${label} built in ${result.buildMs} ms, answer p50 ${result.answer.p50} ms, p99 ${result.answer.p99} ms`);
    return result;
  };
  let minisearch: ReferenceResult | null = null;
  let bm25: ReferenceResult | null = null;
  if (!values['no-references']) {
    const docs = referenceDocs(kb);
    minisearch = reference('MiniSearch', () => new MiniSearchAnswerer(docs));
    bm25 = reference('plain BM25', () => new Bm25Answerer(docs));
  }

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
    reloadMs: Math.round(reloadMs),
    minisearch,
    bm25,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
