import { describe, expect, it } from 'vitest';
import { expectWithinLimits } from '../support/embed-limits.js';
import { enforceEmbedLimits, textModal } from '../../src/discord/components.js';
import { MAX_MODAL_TITLE } from '../../src/discord/limits.js';

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
