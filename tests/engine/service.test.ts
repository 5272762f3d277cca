import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { KnowledgeService } from '../../src/engine/service.js';
import { KnowledgeError } from '../../src/knowledge/read.js';
import { fixtureCopy, md, type TempKb } from '../fixtures/kb.js';

const CALENDAR = md(
  'title: "How does a calendar spread work?"\npublished: 2025-07-01\nglossary: [implied-volatility]',
  'A calendar spread sells a near-term option and buys a later-dated option at the same strike. It profits when the near leg decays faster than the far leg.\n',
);

describe('KnowledgeService', () => {
  let copy: TempKb;
  let service: KnowledgeService;
  let first: Engine;
  beforeAll(async () => {
    copy = await fixtureCopy();
    service = await KnowledgeService.load(copy.dir);
    first = service.current();
  });
  afterAll(() => copy.cleanup());

  it('starts with an engine over the directory', () => {
    expect(service.dir).toBe(copy.dir);
    expect(first).toBeInstanceOf(Engine);
    expect(first.kb.articles).toHaveLength(5);
    expect(first.ask('what is contango').answer?.slug).toBe('contango');
  });

  it('keeps the old engine when the new knowledge base is invalid, and says why', async () => {
    await copy.change({
      'articles/how-does-a-calendar-spread-work.md': CALENDAR,
      'articles/what-is-an-iron-condor.md': md('title: "Broken"\npublished: yesterday', 'Body.\n'),
    });
    const result = await service.reload();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ file: 'articles/what-is-an-iron-condor.md', field: 'published' })]);
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(service.current()).toBe(first);
    // The old engine still answers from the old content, and knows nothing of the new article.
    expect(service.current().ask('When do traders use an iron condor?').answer?.slug).toBe('what-is-an-iron-condor');
    expect(service.current().kb.articleBySlug.has('how-does-a-calendar-spread-work')).toBe(false);
  });

  it('swaps in the new engine when the knowledge base is valid again', async () => {
    await copy.change({ 'articles/what-is-an-iron-condor.md': null });
    const result = await service.reload();
    expect(result).toMatchObject({ ok: true, articles: 5, glossary: 10 });
    if (!result.ok) return;
    expect(service.current()).toBe(result.engine);
    expect(service.current()).not.toBe(first);
    expect(service.current().ask('how does a calendar spread work').answer?.slug).toBe('how-does-a-calendar-spread-work');
    expect(service.current().kb.articleBySlug.has('what-is-an-iron-condor')).toBe(false);
    // An interaction that took the old engine finishes on it.
    expect(first.ask('When do traders use an iron condor?').answer?.slug).toBe('what-is-an-iron-condor');
  });

  it('shares one run between concurrent reloads', async () => {
    const a = service.reload();
    const b = service.reload();
    expect(b).toBe(a);
    const [ra, rb] = await Promise.all([a, b]);
    expect(rb).toBe(ra);
    // A later reload is a new run.
    const c = service.reload();
    expect(c).not.toBe(a);
    await c;
  });

  it('refuses to start on an invalid knowledge base, listing the problems', async () => {
    const broken = await fixtureCopy({ 'glossary/vega.md': md('term: Vega\nrelated: [vega]', 'Vega.\n') });
    try {
      const error = await KnowledgeService.load(broken.dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KnowledgeError);
      expect((error as KnowledgeError).issues).toEqual([expect.objectContaining({ file: 'glossary/vega.md', field: 'related.0' })]);
    } finally {
      await broken.cleanup();
    }
  });
});
