import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { enforceEmbedLimits, textModal } from '../../src/discord/components.js';
import { EMBED_LIMITS, MAX_MODAL_TITLE } from '../../src/discord/limits.js';

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

describe('textModal', () => {
  it("puts each input in a label, within Discord's lengths, and cuts a pre-filled value to the input's maximum", () => {
    const modal = textModal('m:1', 'A title far longer than the forty-five characters Discord allows', [
      { id: 'article', label: 'Article', required: true, maxLength: 10, placeholder: 'e.g. what-is-the-vix', value: 'a-very-long-slug-indeed' },
    ]);
    expect(modal.title.length).toBeLessThanOrEqual(MAX_MODAL_TITLE);
    expect(modal.components).toEqual([
      {
        type: 18,
        label: 'Article',
        component: { type: 4, custom_id: 'article', style: 1, required: true, max_length: 10, placeholder: 'e.g. what-is-the-vix', value: 'a-very-lon' },
      },
    ]);
  });
});
