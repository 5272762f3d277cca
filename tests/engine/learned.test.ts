/**
 * Learned phrasings (taught by editors' resolves) applied to a built engine: the same evidence as the articles'
 * `asked` lists, at once, kept across reloads, dropped with their article.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, loadEngine, type AskResult } from '../../src/engine/engine.js';
import { KnowledgeService } from '../../src/engine/service.js';
import type { KnowledgeBase } from '../../src/knowledge/types.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/paths.js';
import { fixtureCopy, type TempKb } from '../fixtures/kb.js';

const THETA = 'how-does-theta-decay-work-and-why-does-it-speed-up-near-expiration';
/** Community slang the shipped knowledge base leaves unanswered (checked below). */
const TAUGHT = 'Why does my banana option position melt every Friday?';
const PARAPHRASE = 'my banana option position melts on fridays, why';
const OFF_TOPIC = 'is banana bread better with walnuts';

/** The knowledge base with more phrasings written into articles' `asked` lists, as an export would. */
function withAskedInFiles(kb: KnowledgeBase, extra: Record<string, string[]>): KnowledgeBase {
  const articles = kb.articles.map((article) => (extra[article.slug] ? { ...article, asked: [...article.asked, ...extra[article.slug]!] } : article));
  return { ...kb, articles, articleBySlug: new Map(articles.map((article) => [article.slug, article])) };
}

/** What a member would get, scores rounded off the last float bits (sums run in another order). */
function outcome(result: AskResult) {
  return {
    status: result.status,
    slug: result.answer?.slug ?? null,
    confidence: result.confidence.toFixed(6),
    results: result.results.map((r) => `${r.slug} ${r.score.toFixed(2)}`),
    evidence: result.evidence?.replace(/\d\.\d+/g, (n) => Number(n).toFixed(2)),
  };
}

describe('Engine.withLearned on the shipped knowledge base', () => {
  let base: Engine;
  beforeAll(async () => {
    base = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
  });

  it('answers the taught question and a paraphrase with the article, and nothing else changes hands', () => {
    for (const question of [TAUGHT, PARAPHRASE, OFF_TOPIC]) expect(base.ask(question).status).toBe('unanswered');
    const { engine, applied, dropped } = base.withLearned([{ slug: THETA, text: TAUGHT }]);
    expect({ applied, dropped }).toEqual({ applied: 1, dropped: [] });
    expect(engine.ask(TAUGHT)).toMatchObject({ status: 'answered', answer: { slug: THETA } });
    expect(engine.ask(PARAPHRASE)).toMatchObject({ status: 'answered', answer: { slug: THETA } });
    expect(engine.ask(OFF_TOPIC).status).toBe('unanswered');
    // The engine of the files alone is untouched (an interaction in flight on it sees no change).
    expect(base.ask(TAUGHT).status).toBe('unanswered');
    expect(base.index.vocabulary.has('banana')).toBe(false);
    expect(engine.index.vocabulary.has('banana')).toBe(true);
  });

  it('gives exactly what the same phrasings written in the knowledge files give, but for a question in the very words of one', () => {
    const extra = {
      [THETA]: [TAUGHT, 'do weeklies bleed faster on thursday afternoons'],
      'what-is-an-iron-condor-and-how-do-i-set-one-up': ['is the iron fly my condor with no gap'],
    };
    const learned = Object.entries(extra).flatMap(([slug, texts]) => texts.map((text) => ({ slug, text })));
    const derived = base.withLearned(learned).engine;
    const built = new Engine(withAskedInFiles(base.kb, extra));
    const questions = [
      TAUGHT,
      PARAPHRASE,
      OFF_TOPIC,
      'why do my weeklies bleed faster on thursday afternoon',
      'what is theta decay',
      'iron fly or condor with no gap',
      'how do vix calls protect a portfolio in a crash',
      'what is contango',
      'whats the rule of 16',
    ];
    let sameWords = 0;
    for (const question of questions) {
      const result = derived.ask(question);
      // The one difference: a question in a learned phrasing's words (stop words, case and endings aside) is the
      // question an editor resolved, answered with the editor's article.
      if (result.evidence?.startsWith('resolved by an editor')) {
        sameWords++;
        expect(
          learned.some((phrasing) => phrasing.slug === result.answer?.slug),
          question,
        ).toBe(true);
        expect(['why do my weeklies bleed faster on thursday afternoon', 'iron fly or condor with no gap']).toContain(question);
        continue;
      }
      expect(outcome(result), question).toEqual(outcome(built.ask(question)));
    }
    expect(sameWords).toBe(2);
  });

  it('drops phrasings of articles that do not exist, and does not count a phrasing twice', () => {
    const own = base.kb.articleBySlug.get(THETA)!.asked[0]!;
    const result = base.withLearned([
      { slug: 'no-such-article', text: TAUGHT },
      { slug: THETA, text: own.toUpperCase() },
      { slug: THETA, text: TAUGHT },
      { slug: THETA, text: `${TAUGHT}!!` },
      { slug: THETA, text: '???' },
    ]);
    expect(result.applied).toBe(1);
    expect(result.dropped).toEqual([{ slug: 'no-such-article', text: TAUGHT }]);
    expect(result.engine.index.asked.length).toBe(base.index.asked.length + 1);
    // Nothing to apply: the engine of the files itself.
    expect(base.withLearned([{ slug: THETA, text: own }]).engine).toBe(base);
    // Applied again from the files each time: phrasings set before are replaced, not added to.
    expect(result.engine.withLearned([]).engine).toBe(base);
  });
});

describe('KnowledgeService learned phrasings', () => {
  let copy: TempKb;
  let service: KnowledgeService;
  const CONDOR = 'what-is-an-iron-condor';
  const SLANG = 'four wing range trade with short strikes when volatility is rich';
  let condorFile: string;
  beforeAll(async () => {
    copy = await fixtureCopy();
    condorFile = await readFile(path.join(copy.dir, 'articles/what-is-an-iron-condor.md'), 'utf8');
    service = await KnowledgeService.load(copy.dir);
  });
  afterAll(() => copy.cleanup());

  it('serves them from the next question on, keeps them across a reload, and drops them with their article', async () => {
    expect(service.current().ask(SLANG).answer?.slug).not.toBe(CONDOR);
    expect(service.setLearned([{ slug: CONDOR, text: SLANG }])).toEqual({ applied: 1, dropped: [] });
    expect(service.current().ask(SLANG)).toMatchObject({ status: 'answered', answer: { slug: CONDOR } });

    const reloaded = await service.reload();
    expect(reloaded).toMatchObject({ ok: true, learned: { applied: 1, dropped: [] } });
    expect(service.current().ask(SLANG).answer?.slug).toBe(CONDOR);

    await copy.change({ 'articles/what-is-an-iron-condor.md': null });
    const removed = await service.reload();
    expect(removed).toMatchObject({ ok: true, learned: { applied: 0, dropped: [{ slug: CONDOR, text: SLANG }] } });
    expect(service.learnedNow().dropped).toHaveLength(1);
    expect(service.current().ask(SLANG).answer?.slug ?? null).not.toBe(CONDOR);
    expect(service.setLearned([])).toEqual({ applied: 0, dropped: [] });
  });

  it('serves an exported phrasing until it reads the files it was exported to: then the files are the truth', async () => {
    await copy.change({ 'articles/what-is-an-iron-condor.md': condorFile });
    await service.reload();
    const beforeRead = new Date(Date.now() - 60_000).toISOString();
    expect(service.setLearned([{ slug: CONDOR, text: SLANG, exportedAt: beforeRead }])).toEqual({ applied: 0, dropped: [] });
    expect(service.current().ask(SLANG).status).toBe('unanswered');

    // Exported after the files serving now were read (an export, no /reload yet): still served.
    expect(service.setLearned([{ slug: CONDOR, text: SLANG, exportedAt: new Date().toISOString() }])).toEqual({ applied: 1, dropped: [] });
    expect(service.current().ask(SLANG).answer?.slug).toBe(CONDOR);
    // The reload reads files without it (an editor removed it in review): it is gone.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await service.reload()).toMatchObject({ ok: true, learned: { applied: 0, dropped: [] } });
    expect(service.current().ask(SLANG).status).toBe('unanswered');
    service.setLearned([]);
  });
});

describe('a question asked again in the words an editor resolved', () => {
  it('is answered with the editor article even when the wording alone would not convince the confidence model', async () => {
    const base = await loadEngine(DEFAULT_KNOWLEDGE_DIR);
    // Slang with nothing in common with the article: learned as a phrasing, its paraphrases stay below the threshold.
    const slang = 'why does my banana bleed out by friday every week';
    const { engine } = base.withLearned([{ slug: THETA, text: slang }]);
    expect(base.ask(slang).status).toBe('unanswered');
    expect(engine.ask(slang)).toMatchObject({ status: 'answered', answer: { slug: THETA } });
    // The same words with other case and punctuation are the same question; other words are not forced.
    expect(engine.ask('Why does my BANANA bleed out by Friday, every week?!')).toMatchObject({ status: 'answered', answer: { slug: THETA } });
    expect(engine.ask(slang).evidence).toMatch(/^resolved by an editor in these words/);
    expect(engine.ask('is banana bread better with walnuts').status).toBe('unanswered');
  });
});
