import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine, type AskResult, type Engine } from '../../src/engine/engine.js';
import { MAX_EXCERPT_CHARS } from '../../src/engine/excerpt.js';
import { MAX_QUESTION_CHARS, checkQuestion, cleanQuestion } from '../../src/engine/question.js';
import { RELEVANCE } from '../../src/engine/relevance.js';
import { analyze } from '../../src/engine/text.js';
import { splitSentences } from '../../src/knowledge/split.js';
import { FIXTURE_KB, FIXTURE_SITE, fixtureCopy, md, tempKb, type TempKb } from '../fixtures/kb.js';

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(FIXTURE_KB);
});

const plain = (text: string) => text.replace(/\*\*/g, '');
const bolded = (text: string) => [...text.matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]!);
const slugs = (result: AskResult) => result.results.map((r) => `${r.kind}:${r.slug}`);

function expectWellFormed(result: AskResult) {
  expect(result.results.length).toBeLessThanOrEqual(RELEVANCE.maxResults);
  const scores = result.results.map((r) => r.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

describe('ask: an in-domain question', () => {
  let result: AskResult;
  beforeAll(() => {
    result = engine.ask('When do traders use an iron condor?');
  });

  it('is answered from the right article and passage', () => {
    expect(result.status).toBe('answered');
    expect(result.reason).toBeUndefined();
    const answer = result.answer!;
    expect(answer).toMatchObject({
      kind: 'article',
      slug: 'what-is-an-iron-condor',
      title: 'What is an iron condor, and when do traders use one?',
      url: 'https://fixture.example.com/ask/what-is-an-iron-condor',
      section: 'When traders reach for it',
      published: '2025-03-14',
      author: FIXTURE_SITE.publisher,
    });
    expect(result.results[0]).toMatchObject({ kind: 'article', slug: 'what-is-an-iron-condor' });
    expect(answer.confidence).toBe(result.confidence);
    expect(answer.confidence).toBeGreaterThanOrEqual(RELEVANCE.answer.minConfidence);
    expect(answer.confidence).toBeLessThanOrEqual(1);
    expectWellFormed(result);
  });

  it('carries the APA citation and the disclaimer', () => {
    expect(result.answer!.citation).toBe(
      'Fixture Research Desk. (2025). What is an iron condor, and when do traders use one? Ask Fixture. Retrieved from https://fixture.example.com/ask/what-is-an-iron-condor',
    );
    expect(result.answer!.citation).not.toContain('?.');
    expect(result.answer!.disclaimer).toBe(FIXTURE_SITE.disclaimer);
  });

  it('has an excerpt of whole sentences of the passages, <= 700 chars of text, question words in bold', () => {
    const excerpt = result.answer!.excerpt;
    expect(plain(excerpt).length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    // The section that answers "when", then the lead, which answers nearly as well (two passages in half the space).
    expect(result.answer!.sections).toEqual(['When traders reach for it', '(lead)']);
    const [first, second] = plain(excerpt).split('\n\n');
    expect(first).toBe(
      'Traders tend to open condors when implied volatility is rich compared with the moves they actually expect. ' +
        'A rich premium pays more for the same range. Quiet, sideways markets suit the trade better than trending ones.',
    );
    expect(second).toMatch(/^An iron condor is four options on one underlying with one expiration/);
    expect(bolded(excerpt.split('\n\n')[0]!)).toEqual(['Traders', 'condors']);
    const questionTerms = new Set(analyze('When do traders use an iron condor?'));
    for (const word of bolded(excerpt)) expect(questionTerms.has(analyze(word)[0]!)).toBe(true);
  });

  it('lists the glossary terms the article references and related articles to keep reading', () => {
    expect(result.answer!.glossary.map((g) => g.slug)).toEqual(['iron-condor', 'credit-spread', 'implied-volatility']);
    expect(result.answer!.glossary[0]).toEqual({
      slug: 'iron-condor',
      term: 'Iron Condor',
      definition: expect.stringMatching(/^An iron condor pairs/),
      url: 'https://fixture.example.com/glossary/iron-condor',
    });
    // The roll article shares a glossary term and a tag: the most related.
    expect(result.answer!.related[0]?.slug).toBe('how-do-i-roll-a-short-put');
    expect(result.answer!.related.map((r) => r.slug)).not.toContain('what-is-an-iron-condor');
    expect(result.answer!.related.length).toBeLessThanOrEqual(3);
  });
});

describe('ask: answers and citations', () => {
  it('cites an explicit author and URL', () => {
    const result = engine.ask('how do I roll a short put');
    expect(result.answer?.slug).toBe('how-do-i-roll-a-short-put');
    expect(result.answer!.citation).toBe(
      'Dana Fixture. (2025). How do I roll a short put? Ask Fixture. Retrieved from https://fixture.example.com/guides/rolling-a-short-put',
    );
  });

  it('answers "what is <term>" from the glossary, cited as undated (n.d.), with the disclaimer', () => {
    const result = engine.ask('what is contango?');
    expect(result.answer).toMatchObject({ kind: 'glossary', slug: 'contango', title: 'Contango', url: 'https://fixture.example.com/glossary/contango' });
    expect(result.answer!.citation).toBe('Fixture Research Desk. (n.d.). Contango. Ask Fixture. Retrieved from https://fixture.example.com/glossary/contango');
    expect(result.answer!.disclaimer).toBe(FIXTURE_SITE.disclaimer);
    expect(result.answer!.excerpt).toContain('**Contango**');
  });

  it('gives a glossary answer its related terms and the articles that use it', () => {
    const result = engine.ask('what is implied volatility');
    expect(result.answer).toMatchObject({ kind: 'glossary', slug: 'implied-volatility' });
    expect(result.answer!.glossary.map((g) => g.slug)).toEqual(['vega', 'option-premium']);
    expect(result.answer!.related.map((r) => r.slug).sort()).toEqual([
      'how-does-implied-volatility-move-option-prices',
      'what-does-the-p-e-ratio-of-the-s-p-500-tell-an-option-trader',
      'what-is-an-iron-condor',
    ]);
  });

  it('always carries the disclaimer, for every answered question', () => {
    for (const question of ['what is an IC', 'what is the A/D line', 'how do I read divergences in the A/D line', 'what is vega']) {
      const result = engine.ask(question);
      expect(result.status, question).toBe('answered');
      expect(result.answer!.disclaimer).toBe(FIXTURE_SITE.disclaimer);
      expect(splitSentences(plain(result.answer!.excerpt)).length).toBeGreaterThan(0);
    }
  });
});

describe('ask: glossary alias expansion', () => {
  it('"IC" finds the iron condor entry, and the article that never says "IC"', () => {
    const result = engine.ask('what is an IC');
    expect(result.answer).toMatchObject({ kind: 'glossary', slug: 'iron-condor' });
    expect(slugs(result)).toContain('article:what-is-an-iron-condor');
    expect(result.answer!.excerpt).toContain('**iron** **condor**');
  });

  it('"IC" in a longer question answers from the iron condor article', () => {
    const result = engine.ask('when do traders open an IC');
    expect(result.answer).toMatchObject({ kind: 'article', slug: 'what-is-an-iron-condor' });
  });

  it('"IV" is implied volatility', () => {
    const result = engine.ask('what is IV');
    expect(result.answer).toMatchObject({ kind: 'glossary', slug: 'implied-volatility' });
    expect(slugs(result)).toContain('article:how-does-implied-volatility-move-option-prices');
  });

  it('"A/D line" is the advance-decline line, as a term and in an article question', () => {
    expect(engine.ask('what is the A/D line').answer).toMatchObject({ kind: 'glossary', slug: 'advance-decline-line' });
    const article = engine.ask('how do I read divergences in the A/D line');
    expect(article.answer).toMatchObject({ kind: 'article', slug: 'how-do-i-read-the-advance-decline-line', section: 'Reading divergences' });
  });

  it('"P/E" and "S&P" match as whole abbreviations', () => {
    const result = engine.ask('what is the P/E ratio of the S&P 500');
    expect(result.answer?.slug).toBe('what-does-the-p-e-ratio-of-the-s-p-500-tell-an-option-trader');
    expect(result.answer!.excerpt).toContain('**P/E**');
  });
});

describe('ask: no answer', () => {
  it('leaves an off-topic question unanswered but still lists the results', () => {
    const result = engine.ask('best mortgage rate for a first home');
    expect(result.status).toBe('unanswered');
    expect(result.reason).toBe('low_confidence');
    expect(result.answer).toBeNull();
    expect(result.message).toMatch(/don't have a confident answer/);
    expect(result.results.length).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThan(RELEVANCE.answer.minConfidence);
    expect(result.unknownWords).toEqual(expect.arrayContaining(['mortgage', 'home']));
    expectWellFormed(result);
  });

  it('offers close matches as suggestions when the question partly matches', () => {
    const result = engine.ask('what does IV do to my pension');
    expect(result.status).toBe('unanswered');
    expect(result.suggestions.length).toBeGreaterThan(0);
    expect(result.suggestions.length).toBeLessThanOrEqual(3);
    expect(result.suggestions.map((s) => s.slug)).toContain('implied-volatility');
    for (const suggestion of result.suggestions) expect(result.results).toContainEqual(suggestion);
  });

  // 1,001 characters after cleaning (no trailing space to trim).
  const tooLong = `${'How do I manage an iron condor? '.repeat(40).slice(0, MAX_QUESTION_CHARS)}x`;
  it.each([
    ['empty', 'empty', ''],
    ['whitespace only', 'empty', ' \n\t  '],
    ['1,001 characters', 'too_long', tooLong],
    ['punctuation only', 'no_words', '?!?... ,;:--'],
    ['stop words only', 'no_words', 'what is the'],
    ['control characters only', 'empty', '\u0000\u0007\u001b\u0008\u007f'],
    ['invisible format characters only', 'empty', '\u200b\u200d\ufeff'],
    ['Cyrillic only', 'no_match', 'Что такое опцион?'],
  ] as const)('%s: unanswered with reason %s, never a throw', (_name, reason, question) => {
    if (reason === 'too_long') expect(cleanQuestion(question)).toHaveLength(MAX_QUESTION_CHARS + 1);
    let result: AskResult | undefined;
    expect(() => {
      result = engine.ask(question);
    }).not.toThrow();
    expect(result).toMatchObject({ status: 'unanswered', reason, answer: null, confidence: 0 });
    expect(result!.message).toEqual(expect.any(String));
    expect(result!.message!.length).toBeGreaterThan(10);
    expect(result!.question.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
  });

  it('names the words it does not know in another script', () => {
    expect(engine.ask('Что такое опцион?').unknownWords).toEqual(['что', 'такое', 'опцион']);
  });

  it('accepts exactly 1,000 characters', () => {
    const question = `what is contango ${'x'.repeat(MAX_QUESTION_CHARS)}`.slice(0, MAX_QUESTION_CHARS);
    expect(engine.ask(question).reason).not.toBe('too_long');
  });

  it('strips control characters from a real question and answers it', () => {
    const result = engine.ask('what\u0000 is an\u0007 IC\u200b?\u001b');
    expect(result.status).toBe('answered');
    expect(result.answer?.slug).toBe('iron-condor');
    expect(result.question).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(result.question).toMatch(/^what is an IC/);
  });
});

describe('ask: glossary entry or article', () => {
  it('answers "what is X" with the entry and a question that asks more about X with the article', () => {
    expect(engine.ask('what is an iron condor').answer).toMatchObject({ kind: 'glossary', slug: 'iron-condor' });
    const more = engine.ask('how do I adjust an iron condor when the price moves');
    expect(more.answer).toMatchObject({ kind: 'article', slug: 'what-is-an-iron-condor' });
    // The entry is still the runner-up, not dropped.
    expect(slugs(more)[1]).toBe('glossary:iron-condor');
  });
});

describe('ask: typo tolerance', () => {
  it('a misspelt word of 5+ letters still finds its article', () => {
    const volatility = engine.ask('how does implied volatilty move option prices');
    expect(volatility.answer?.slug).toBe('how-does-implied-volatility-move-option-prices');
    expect(volatility.unknownWords).toEqual([]);
    const rolling = engine.ask('what are the costs of rollng a short put');
    expect(rolling.answer?.slug).toBe('how-do-i-roll-a-short-put');
  });

  it('reads a misspelt glossary name as that name, so a lone misspelt name is still a question', () => {
    const result = engine.ask('what is contnago');
    expect(result.status).toBe('answered');
    expect(result.answer).toMatchObject({ kind: 'glossary', slug: 'contango' });
    expect(result.unknownWords).toEqual([]);
    // A corrected word inside a longer name: "condr" -> condor makes "iron condor".
    expect(engine.ask('iron condr').answer).toMatchObject({ kind: 'glossary', slug: 'iron-condor' });
  });

  it('reads a clipped word as the most frequent known word it begins ("prem" -> premium)', () => {
    const result = engine.ask('what is an option prem');
    expect(result.answer).toMatchObject({ kind: 'glossary', slug: 'option-premium' });
    expect(result.unknownWords).toEqual([]);
    // Under four letters nothing is guessed, and a word no known word begins with stays unknown.
    expect(engine.ask('what is an option pre').unknownWords).toEqual(['pre']);
    expect(engine.ask('whats the diff between a credit spread and an iron condor').unknownWords).toEqual(['diff']);
  });

  it('does not correct short tokens', () => {
    expect(engine.ask('what is vega').answer?.slug).toBe('vega');
    const short = engine.ask('what is veg');
    expect(short.status).toBe('unanswered');
    expect(short.unknownWords).toEqual(['veg']);
    expect(short.results).toEqual([]);
  });
});

describe('question rules', () => {
  it('cleanQuestion collapses whitespace and removes control and format characters', () => {
    expect(cleanQuestion('  what\tis\u0000an\nIC\u2028?\u200b ')).toBe('what is an IC ?');
  });

  it('checkQuestion explains empty and too long questions', () => {
    expect(checkQuestion('')).toMatchObject({ ok: false, reason: 'empty' });
    const long = checkQuestion('a'.repeat(5000));
    expect(long).toMatchObject({ ok: false, reason: 'too_long' });
    expect(!long.ok && long.message).toContain('5,000');
    expect(checkQuestion(' ok? ')).toEqual({ ok: true, question: 'ok?' });
  });
});

describe('what members type around a question, and subjects the site does not cover', () => {
  let engine: Engine;
  let scoped: TempKb;
  beforeAll(async () => {
    engine = await loadEngine(FIXTURE_KB);
    const site = await readFile(path.join(FIXTURE_KB, 'site.yaml'), 'utf8');
    scoped = await fixtureCopy({ 'site.yaml': `${site}\nout_of_scope: [mortgage, credit card]\n` });
  });
  afterAll(async () => {
    await scoped.cleanup();
  });

  it('reads a question the same with mentions, custom emoji, timestamps and links around it', () => {
    const plainAnswer = engine.ask('When do traders use an iron condor?');
    expect(plainAnswer.status).toBe('answered');
    for (const decorated of [
      '<@123> When do traders use an iron condor?',
      '<@!123> <@&456> When do traders use an iron condor? <#789>',
      '@everyone @here When do traders use an iron condor? <:condor:1234567> <a:spin:42>',
      'When do traders use an iron condor? https://discord.com/channels/1/2/3 www.example.com/x </ask:99> <t:1700000000:R>',
    ]) {
      const result = engine.ask(decorated);
      expect(result.status, decorated).toBe('answered');
      expect(result.answer!.slug).toBe(plainAnswer.answer!.slug);
      expect(result.confidence).toBe(plainAnswer.confidence);
      expect(result.question).toBe(decorated); // what the member typed is kept (and stored) as typed
    }
    expect(engine.ask('<@123> <#456> https://example.com').reason).toBe('no_words');
  });

  it('leaves a question that uses an out-of-scope phrase unanswered, whole words only, and says why', async () => {
    const withScope = await loadEngine(scoped.dir);
    expect(withScope.ask('When do traders use an iron condor?').status).toBe('answered');
    const outside = withScope.ask('When do traders use an iron condor on a mortgage?');
    expect(outside).toMatchObject({ status: 'unanswered', reason: 'out_of_scope', evidence: 'out of scope ("mortgage")' });
    expect(outside.results.length).toBeGreaterThan(0);
    expect(withScope.ask('Is an iron condor like a CREDIT-CARD bill?').reason).toBe('out_of_scope');
    expect(withScope.outOfScopePhrase('mortgages and cards')).toBeUndefined();
  });
});

describe('keep reading under a glossary answer', () => {
  it('lists the articles most about the term first, not the first ones by file name', async () => {
    const body = (text: string) => `${text}\n\n## More\n\nSome more words about options and prices.\n`;
    const kb = await tempKb({
      'glossary/vega.md': md('term: Vega\naliases: []', 'Vega is how much an option price moves for a one point change in implied volatility.'),
      'articles/a-greeks-overview.md': md(
        'title: "What are the Greeks?"\npublished: 2025-01-01\nglossary: [vega]',
        body('Delta, gamma, theta and vega are the Greeks.'),
      ),
      'articles/b-earnings-moves.md': md(
        'title: "What happens around earnings?"\npublished: 2025-01-02\nglossary: [vega]\ntags: [vega]',
        body('Implied volatility falls after earnings.'),
      ),
      'articles/z-what-is-vega.md': md(
        'title: "What is vega?"\npublished: 2025-01-03\nglossary: [vega]',
        body('Vega measures sensitivity to implied volatility. Vega is largest at the money.'),
      ),
    });
    try {
      const engine = await loadEngine(kb.dir);
      const result = engine.ask('what is vega');
      expect(result.answer).toMatchObject({ kind: 'glossary', slug: 'vega' });
      expect(result.answer!.related.map((article) => article.slug)).toEqual(['z-what-is-vega', 'b-earnings-moves', 'a-greeks-overview']);
    } finally {
      await kb.cleanup();
    }
  });
});
