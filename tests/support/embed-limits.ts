import type { APIEmbed } from 'discord.js';
import { expect } from 'vitest';
import { EMBED_LIMITS } from '../../src/discord/limits.js';

/** An embed's length as Discord counts it, computed here on its own (an independent check of the renderer's). */
export function totalLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Every part of the embed, and the whole, within Discord's limits. */
export function expectWithinLimits(embed: APIEmbed): void {
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
