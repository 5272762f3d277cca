import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../../src/engine/engine.js';
import { composeAnswer } from '../../src/engine/answer.js';
import { askedMatch, phrasingMatch } from '../../src/engine/asked.js';
import { answeringPassage } from '../../src/engine/passage.js';
import { analyzeQuery } from '../../src/engine/query.js';
import { rankQuestion } from '../../src/engine/search.js';
import { RELEVANCE } from '../../src/engine/relevance.js';
import { md, tempKb, type TempKb } from '../fixtures/kb.js';

/**
 * Two small knowledge bases, the same but for the `asked` list of the theta article: what the list changes (and what
 * it must not change) is measured between the two.
 */
const THETA_BODY = `Theta is the amount an option loses each day from the passage of time alone, all else equal.

## Why it speeds up

Time value shrinks slowly with months to expiry and quickly in the final weeks, so daily decay grows near expiration.
`;
const VEGA_BODY = `Vega is how much an option's price changes for a one point change in implied volatility.

## Event volatility

Implied volatility often rises before scheduled events and falls back afterwards.
`;
const ASKED = ['my long call bleeds cash every morning although the ticker sits flat', 'why does my call lose value overnight'];

function files(asked: string[]) {
  const askedYaml = asked.length > 0 ? `\nasked:\n${asked.map((q) => `  - "${q}"`).join('\n')}` : '';
  return {
    'articles/what-is-theta.md': md(`title: "What is theta, and why does decay speed up?"\npublished: 2025-01-01${askedYaml}`, THETA_BODY),
    'articles/what-is-vega.md': md('title: "What is vega?"\npublished: 2025-01-02', VEGA_BODY),
  };
}

let withAsked: TempKb;
let withoutAsked: TempKb;
let engine: Engine;
let plain: Engine;
beforeAll(async () => {
  withAsked = await tempKb(files(ASKED));
  withoutAsked = await tempKb(files([]));
  engine = await loadEngine(withAsked.dir);
  plain = await loadEngine(withoutAsked.dir);
});
afterAll(async () => {
  await withAsked.cleanup();
  await withoutAsked.cleanup();
});

describe("an article's asked phrasings", () => {
  const situation = 'long call bleeds cash every morning, ticker flat, why?';

  it("find the article for a question in members' words that the article text alone does not, as evidence of confidence", () => {
    const without = plain.ask(situation);
    expect(without.results.map((r) => r.slug)).not.toContain('what-is-theta');
    const result = engine.ask(situation);
    expect(result.results[0]).toMatchObject({ kind: 'article', slug: 'what-is-theta' });
    expect(result.evidence).toMatch(/^askedThatWay /);
    expect(result.confidence).toBeGreaterThan(without.confidence);
    // A phrasing alone, with none of the question in the article's text, is not enough to answer (the confidence
    // model wants some of the question in the text too).
    expect(result.status).toBe('unanswered');
  });

  it('match a question by its closest phrasing: both the question and the phrasing mostly shared', () => {
    const matchOf = (question: string) => askedMatch(engine.index, analyzeQuery(engine.index, question)).get('what-is-theta') ?? 0;
    expect(matchOf(situation)).toBeGreaterThanOrEqual(RELEVANCE.answer.askedMatch);
    // One shared word of a long question is no match, nor is a question on another subject.
    expect(matchOf('my broker wants more cash for margin on futures this morning')).toBeLessThan(RELEVANCE.answer.askedMatch);
    expect(askedMatch(engine.index, analyzeQuery(engine.index, 'what is vega')).size).toBe(0);
  });

  it("match an article's title the same way, for the articles a question ranks", () => {
    const query = analyzeQuery(engine.index, 'what is vega');
    expect(phrasingMatch(engine.index, query, engine.index.titlePhrasings.get('what-is-vega')!)).toBe(1);
    expect(phrasingMatch(engine.index, query, engine.index.titlePhrasings.get('what-is-theta')!)).toBe(0);
    const [best] = rankQuestion(engine.index, query);
    expect(best).toMatchObject({ slug: 'what-is-vega', askedMatch: 1 });
  });

  it('are no evidence of what a passage says: coverage and IDF of the knowledge text are unchanged', () => {
    const question = 'why does my call lose value to theta near expiration';
    const [best] = rankQuestion(engine.index, analyzeQuery(engine.index, question));
    const [bestPlain] = rankQuestion(plain.index, analyzeQuery(plain.index, question));
    expect(best!.slug).toBe(bestPlain!.slug);
    expect(best!.coverage).toBe(bestPlain!.coverage);
    expect(best!.topicCoverage).toBe(bestPlain!.topicCoverage);
    const idfOf = (e: Engine, term: string) => e.index.idf[e.index.vocabulary.get(term)!];
    // "call" is in the phrasings and not in the text: its weight is that of a word no passage has.
    expect(idfOf(engine, 'call')).toBe(engine.index.unseenIdf);
    expect(idfOf(engine, 'option')).toBe(idfOf(plain, 'option'));
  });

  it("make members' words known, so they are read as typed, not corrected to a knowledge word", () => {
    expect(analyzeQuery(plain.index, 'bleeds').unknownWords).toEqual(['bleeds']);
    expect(analyzeQuery(engine.index, 'bleeds').unknownWords).toEqual([]);
  });

  it('are never shown: the excerpt comes from the article text', () => {
    const query = analyzeQuery(engine.index, situation);
    const [best] = rankQuestion(engine.index, query);
    const excerpt = composeAnswer(engine.index, { ...best!, ...answeringPassage(engine.index, query, best!) }, 1).excerpt.replace(/\*\*/g, '');
    expect(THETA_BODY.replace(/\s+/g, ' ')).toContain(excerpt.replace(/…$/, '').slice(0, 40));
    for (const phrasing of ASKED) expect(excerpt).not.toContain(phrasing);
  });
});
