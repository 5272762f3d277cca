import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../../src/engine/engine.js';
import { postingsOf } from '../../src/engine/orama/postings.js';
import { termToken } from '../../src/engine/orama/build.js';
import { FIXTURE_KB } from '../fixtures/kb.js';

/**
 * src/engine/orama/ reads and patches Orama 3.1.18's internals (its index component, radix tree, field lengths and
 * document ids). An upgrade that changes them must fail here, loudly, rather than silently fall back to Orama's slow
 * search or rank differently. tests/engine/search.test.ts checks that the fast path equals Orama's own search.
 */
describe('the Orama internals the engine relies on', () => {
  it('is the pinned version', () => {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(require.resolve('@orama/orama/package.json')), 'package.json'), 'utf8')) as {
      version: string;
    };
    const pinned = (JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
      .dependencies['@orama/orama'];
    expect(pinned, 'package.json pins @orama/orama to an exact version').toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.version).toBe(pinned);
  });

  it('still has the shape the fast candidate path reads (radix tree, field lengths, internal ids)', async () => {
    const engine = await loadEngine(FIXTURE_KB);
    const postings = engine.index.postings;
    expect(postings, "oramaPostings() no longer recognises Orama's index: see src/engine/orama/postings.ts").not.toBeNull();
    expect(postings!.fields).toHaveLength(3);
    expect(postings!.docsCount).toBe(engine.index.docs.length);
    // Every term of every document is found in Orama's radix tree, with that document among its postings.
    const titleField = postings!.fields[0]!;
    const doc = engine.index.docs.findIndex((d) => d.kind === 'article');
    const titleTerm = [...engine.index.docs[doc]!.topicIds].map((id) => engine.index.terms[id]!).find((term) => postingsOf(titleField.root, termToken(term)));
    expect(titleTerm).toBeDefined();
    expect(postingsOf(titleField.root, termToken(titleTerm!))!.has(doc + 1)).toBe(true);
    // Orama's field lengths feed our length normalisation: none is missing.
    for (const field of postings!.fields) expect(Number.isFinite(field.lengthNorm[doc + 1]!)).toBe(true);
  });
});
