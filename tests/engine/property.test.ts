import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { MAX_MESSAGE_CONTENT } from '../../src/discord/limits.js';
import { questionFromContent, questionLine, renderAnswer, renderUnanswered } from '../../src/discord/render.js';
import { loadEngine, type Engine } from '../../src/engine/engine.js';
import { MAX_EXCERPT_CHARS } from '../../src/engine/excerpt.js';
import { MAX_QUESTION_CHARS, cleanQuestion, withoutChatMarkup } from '../../src/engine/question.js';
import { expectWithinLimits } from '../support/embed-limits.js';

/**
 * Properties over arbitrary input, where the other tests hold examples: whatever a member types (any Unicode, Discord
 * markup, Markdown, huge or empty), the engine answers with its contract and the replies stay within Discord's limits.
 */
let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(path.join(PROJECT_ROOT, 'knowledge'));
});

/** Text a member might type: words of the domain, Discord markup, Markdown, emoji, control characters, any Unicode. */
const memberText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'iron',
          'condor',
          'theta',
          'IV',
          'P/E',
          'S&P',
          '0DTE',
          'put',
          'call',
          'mortgage',
          'the',
          'what',
          'is',
          '?',
          '**',
          '_',
          '`',
          '||',
          '@everyone',
        ),
        fc.integer({ min: 0, max: 2 ** 53 }).map((id) => `<@${id}>`),
        fc.integer({ min: 0, max: 99999 }).map((id) => `<:emoji:${id}>`),
        fc.webUrl(),
        fc.string({ maxLength: 12 }),
      ),
      { maxLength: 60 },
    )
    .map((words) => words.join(' ')),
  fc.string({ minLength: MAX_QUESTION_CHARS - 5, maxLength: MAX_QUESTION_CHARS + 50 }),
);

const plain = (markdown: string) => markdown.replace(/\*\*/g, '');

describe('whatever a member types', () => {
  it('the engine answers with its contract and never throws', () => {
    fc.assert(
      fc.property(memberText, (raw) => {
        const result = engine.ask(raw);
        expect(['answered', 'unanswered']).toContain(result.status);
        expect(result.results.length).toBeLessThanOrEqual(10);
        expect(result.confidence).toBeGreaterThanOrEqual(0);
        expect(result.confidence).toBeLessThanOrEqual(1);
        if (result.status === 'answered') {
          expect(result.reason).toBeUndefined();
          expect(result.answer!.disclaimer.length).toBeGreaterThan(0);
          expect(plain(result.answer!.excerpt).length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
        } else {
          expect(result.answer).toBeNull();
          expect(['empty', 'too_long', 'no_words', 'no_match', 'low_confidence', 'out_of_scope']).toContain(result.reason);
        }
        if (cleanQuestion(raw).length > MAX_QUESTION_CHARS) expect(result.reason).toBe('too_long');
      }),
      { numRuns: 300 },
    );
  });

  it('Discord markup around a question never changes the answer', () => {
    const markup = fc.constantFrom(
      '<@123>',
      '<@!456>',
      '<@&789>',
      '<#42>',
      '@everyone',
      '@here',
      '<:theta:1>',
      '<a:spin:2>',
      'https://example.com/x',
      '<t:1700000000:R>',
    );
    fc.assert(
      fc.property(
        fc.constantFrom('what is theta decay', 'When do traders use an iron condor?', 'what is vega', 'how is the VIX calculated'),
        markup,
        markup,
        (question, before, after) => {
          const bare = engine.ask(question);
          const decorated = engine.ask(`${before} ${question} ${after}`);
          expect(decorated.status).toBe(bare.status);
          expect(decorated.answer?.slug).toBe(bare.answer?.slug);
          expect(decorated.confidence).toBe(bare.confidence);
        },
      ),
    );
  });

  it('removing chat markup twice is removing it once', () => {
    fc.assert(
      fc.property(memberText, (raw) => {
        expect(withoutChatMarkup(withoutChatMarkup(raw))).toBe(withoutChatMarkup(raw));
      }),
    );
  });

  it("the reply stays within Discord's limits, and the question line reads back as the cleaned question", () => {
    fc.assert(
      fc.property(memberText, (raw) => {
        const result = engine.ask(raw);
        const reply = result.answer ? renderAnswer(result.question, result.answer) : renderUnanswered(result, () => 'https://example.com/a', null);
        if (reply.type !== 'message') return;
        expect((reply.content ?? '').length).toBeLessThanOrEqual(MAX_MESSAGE_CONTENT);
        for (const embed of reply.embeds ?? []) expectWithinLimits(embed);
        const line = questionLine(result.question);
        // Short enough questions come back exactly (the buttons under a reply read the question from it).
        if (line.length < MAX_MESSAGE_CONTENT - 600 && result.question.trim() && !line.endsWith('…'))
          expect(questionFromContent(line)).toBe(result.question.trim());
      }),
      { numRuns: 200 },
    );
  });
});
