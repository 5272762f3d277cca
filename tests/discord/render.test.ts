import type { APIEmbed } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/engine/answer.js';
import type { Engine } from '../../src/engine/engine.js';
import { EMBED_LIMITS, MAX_CUSTOM_ID } from '../../src/discord/limits.js';
import {
  enforceEmbedLimits,
  escapeMemberText,
  joinWithin,
  questionFromContent,
  questionLine,
  renderAnswer,
  renderUnanswered,
  truncate,
  truncateMarkdown,
} from '../../src/discord/render.js';
import { sharedKnowledge } from '../support/bot-harness.js';

function totalLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

function expectWithinLimits(embed: APIEmbed): void {
  expect(embed.title?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.title);
  expect(embed.description?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.description);
  expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.footerText);
  expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.fields);
  for (const field of embed.fields ?? []) {
    expect(field.name.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldName);
    expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
  }
  expect(totalLength(embed)).toBeLessThanOrEqual(EMBED_LIMITS.total);
}

describe('truncate', () => {
  it('keeps short text, and cuts long text with an ellipsis at a word boundary when one is near', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('alpha beta gamma delta epsilon', 20)).toBe('alpha beta gamma…');
    expect(truncate('one two three four five', 12)).toBe('one two thr…');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('ab😀😀😀😀😀', 5);
    expect(cut.length).toBeLessThanOrEqual(5);
    expect(cut).toBe('ab😀…');
  });

  it('drops a ** the cut left unpaired', () => {
    const cut = truncateMarkdown('plain words then **bold words that go on and on**', 30);
    expect(cut.match(/\*\*/g)?.length ?? 0).toBe(0);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('joinWithin', () => {
  it('counts what did not fit', () => {
    expect(joinWithin(['alpha', 'beta', 'gamma', 'delta'], ', ', 25)).toBe('alpha, beta, and 2 more');
    expect(joinWithin(['alpha', 'beta'], ', ', 25)).toBe('alpha, beta');
  });
});

describe('enforceEmbedLimits', () => {
  it('cuts every part to its limit and the whole to 6,000 characters, keeping the disclaimer footer', () => {
    const disclaimer = 'Risk disclaimer: education only. '.repeat(10);
    const embed = enforceEmbedLimits({
      title: 'T'.repeat(1000),
      description: `${'word '.repeat(500)}**bold ${'x '.repeat(3000)}**`,
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `Field ${i} `.repeat(40), value: 'v '.repeat(2000) })),
      footer: { text: disclaimer },
    });
    expectWithinLimits(embed);
    expect(embed.footer?.text).toBe(disclaimer);
    expect((embed.description?.match(/\*\*/g)?.length ?? 0) % 2).toBe(0);
  });

  it('leaves an embed within the limits unchanged', () => {
    const embed = { title: 'Iron Condor', description: 'An **iron condor**…', fields: [{ name: 'Source', value: 'x' }], footer: { text: 'disclaimer' } };
    expect(enforceEmbedLimits(embed)).toEqual(embed);
  });
});

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
      glossary: Array.from({ length: 200 }, (_, i) => ({ slug: `term-${i}`, term: `Term ${i}`, definition: '', url: `https://www.vixshield.com/glossary/term-${i}` })),
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
    const reply = renderUnanswered({ ...result, suggestions: [...result.results, ...result.results].slice(0, 6) }, () => 'https://www.vixshield.com/ask/x', true);
    expect(reply.ephemeral).toBe(true);
    const buttons = reply.components!.flatMap((row) => row.components);
    expect(buttons.filter((button) => !('custom_id' in button) || button.custom_id !== 'flag').length).toBeLessThanOrEqual(3);
  });
});
