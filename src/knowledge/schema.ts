import { z } from 'zod';

/** Slugs are file names: lower-case words joined by hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slugSchema = z.string().regex(SLUG_PATTERN, 'must be a slug: lower-case letters, digits and hyphens');

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** YAML may hand us a Date (YAML 1.1 timestamps) or a string; both must be a real calendar date. */
const isoDate = z
  .union([z.string(), z.date()])
  .transform((value, ctx) => {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : value.trim();
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `must be an ISO date (YYYY-MM-DD), got "${text}"` });
      return z.NEVER;
    }
    const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    if (date.toISOString().slice(0, 10) !== text) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a real date (YYYY-MM-DD)` });
      return z.NEVER;
    }
    return text;
  });

const urlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const siteSchema = z.strictObject({
  publisher: nonEmpty,
  site: nonEmpty,
  base_url: urlSchema,
  disclaimer: nonEmpty,
  based_on: nonEmpty.optional(),
  out_of_scope: z.array(nonEmpty).default([]),
  synonyms: z.record(nonEmpty, nonEmpty).default({}),
});

export const articleFrontMatterSchema = z.strictObject({
  title: nonEmpty,
  published: isoDate,
  author: nonEmpty.optional(),
  url: urlSchema.optional(),
  tags: z.array(nonEmpty).default([]),
  glossary: z.array(slugSchema).default([]),
  asked: z.array(nonEmpty).default([]),
  based_on: nonEmpty.optional(),
});

export const glossaryFrontMatterSchema = z.strictObject({
  term: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
  related: z.array(slugSchema).default([]),
});

export type SiteFile = z.infer<typeof siteSchema>;
export type ArticleFrontMatter = z.infer<typeof articleFrontMatterSchema>;
export type GlossaryFrontMatter = z.infer<typeof glossaryFrontMatterSchema>;
