import { beforeAll, describe, expect, it } from 'vitest';
import { expectWithinLimits } from '../support/embed-limits.js';
import type { Answer } from '../../src/engine/answer.js';
import type { Engine } from '../../src/engine/engine.js';
import { MAX_CUSTOM_ID } from '../../src/discord/limits.js';
import { questionFromContent, questionLine, renderAnswer, renderFlagModal, renderUnanswered } from '../../src/discord/render.js';
import { escapeMemberText } from '../../src/discord/text.js';
import { sharedKnowledge } from '../support/bot-harness.js';

describe('member text', () => {
  it('is escaped in the question line and read back exactly', () => {
    const question = '**bold** _it_ `code` ~~strike~~ ||spoiler|| [link](https://x.example) # 1. - a\\*b @everyone';
    const line = questionLine(question);
    expect(line).toContain(escapeMemberText(question));
    expect(line).not.toContain('**bold**');
    expect(questionFromContent(`${line}\n\nmore text`)).toBe(question);
  });

  it('keeps a 1,000-character question whole, and leaves room in the message even when it is all Markdown', () => {
    const plain = 'why '.repeat(250).trim();
    expect(questionFromContent(questionLine(plain))).toBe(plain);
    expect(questionLine('*'.repeat(1000)).length).toBeLessThanOrEqual(1500);
  });

  it('finds no question in content without a question line', () => {
    expect(questionFromContent('hello')).toBeNull();
  });
});

describe('renderAnswer', () => {
  let engine: Engine;
  let answer: Answer;
  beforeAll(async () => {
    engine = (await sharedKnowledge()).current();
    answer = engine.ask('How do I hedge with VIX calls?').answer!;
  });

  it('fits Discord limits even for an oversized answer, with the disclaimer and citation always present', () => {
    const huge: Answer = {
      ...answer,
      title: 'T'.repeat(400),
      excerpt: `${'**word** '.repeat(1000)}`,
      citation: 'C'.repeat(3000),
      glossary: Array.from({ length: 200 }, (_, i) => ({
        slug: `term-${i}`,
        term: `Term ${i}`,
        definition: '',
        url: `https://www.vixshield.com/glossary/term-${i}`,
      })),
      related: Array.from({ length: 50 }, (_, i) => ({ slug: `a-${i}`, title: `Article ${i} `.repeat(10), url: `https://www.vixshield.com/ask/a-${i}` })),
    };
    const reply = renderAnswer('question', huge);
    const [embed] = reply.embeds!;
    expectWithinLimits(embed!);
    expect(embed!.footer?.text).toBe(answer.disclaimer);
    expect(embed!.fields?.map((field) => field.name)).toContain('Source');
  });

  it('keeps custom_ids within 100 characters by leaving out a slug too long to carry', () => {
    const reply = renderAnswer('question', { ...answer, slug: 's'.repeat(120) });
    const ids = reply.components!.flatMap((row) => row.components).flatMap((component) => ('custom_id' in component ? [component.custom_id] : []));
    expect(ids).toEqual(['vote:up', 'vote:down', 'flag']);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
  });

  it('renders a no-answer reply privately with at most three suggestions', () => {
    const result = engine.ask('What is the best pizza in Naples?');
    const reply = renderUnanswered({ ...result, suggestions: [...result.results, ...result.results].slice(0, 6) }, () => 'https://www.vixshield.com/ask/x', {
      questionId: 1,
      isNew: true,
      count: 1,
    });
    expect(reply.ephemeral).toBe(true);
    const buttons = reply.components!.flatMap((row) => row.components);
    expect(buttons.filter((button) => !('custom_id' in button) || button.custom_id !== 'flag').length).toBeLessThanOrEqual(3);
  });
});

describe('renderUnanswered', () => {
  it("says the question went to the editors only when given the store's outcome", async () => {
    const result = (await sharedKnowledge()).current().ask('What is the best pizza in Naples?');
    const notStored = renderUnanswered(result, () => undefined, null);
    expect(notStored.content).toContain("I don't have a confident answer to that yet.");
    expect(notStored.content).not.toContain('editors');
    expect(notStored.components!.flatMap((row) => row.components)).not.toContainEqual(expect.objectContaining({ custom_id: 'flag' }));
    const stored = renderUnanswered(result, () => undefined, { questionId: 7, isNew: true, count: 1 });
    expect(stored.content).toContain('passed to the editors');
    expect(stored.components!.flatMap((row) => row.components)).toContainEqual(expect.objectContaining({ custom_id: 'flag' }));
  });
});

describe('renderFlagModal', () => {
  it('is a label-style modal: the question pre-filled and required, the note optional', () => {
    const modal = renderFlagModal('Why is the VIX high?', ['a', 'what-is-the-vix']);
    expect(modal.custom_id).toBe('flag-note:a:what-is-the-vix');
    expect(modal.components).toEqual([
      expect.objectContaining({
        type: 18,
        label: 'Question',
        component: expect.objectContaining({ custom_id: 'question', required: true, value: 'Why is the VIX high?', max_length: 1000 }),
      }),
      expect.objectContaining({ type: 18, component: expect.objectContaining({ custom_id: 'note', required: false }) }),
    ]);
  });
});
