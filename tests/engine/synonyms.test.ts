/**
 * site.yaml's synonyms: a member's slang or shorthand is read as also meaning the knowledge base's words, while the
 * words as typed still count. Checked on the shipped knowledge base with and without its synonyms.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { Engine } from '../../src/engine/engine.js';
import { analyzeQuery } from '../../src/engine/query.js';
import { RELEVANCE } from '../../src/engine/relevance.js';
import { stem } from '../../src/engine/text.js';
import { loadKnowledgeBase } from '../../src/knowledge/read.js';

let withSynonyms: Engine;
let without: Engine;
const SYNONYMS = { 'theta gang': 'selling premium', tanked: 'fell', ccs: 'covered calls' };

beforeAll(async () => {
  const kb = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge'));
  withSynonyms = new Engine({ ...kb, site: { ...kb.site, synonyms: SYNONYMS } });
  without = new Engine({ ...kb, site: { ...kb.site, synonyms: {} } });
});

function idOf(engine: Engine, word: string): number {
  const id = engine.index.vocabulary.get(stem(word));
  if (id === undefined) throw new Error(`"${word}" is not in the shipped knowledge base`);
  return id;
}

describe('synonyms', () => {
  it('read a slang phrase as one idea matched by its own words or the meant ones, the meant ones weighing as an expansion', () => {
    const query = analyzeQuery(withSynonyms.index, 'is the theta gang right');
    const gang = query.groups.find((group) => group.alternatives.some((ids) => ids.includes(idOf(withSynonyms, 'selling'))));
    expect(gang?.alternatives).toEqual([
      [idOf(withSynonyms, 'theta'), ...(withSynonyms.index.vocabulary.has(stem('gang')) ? [idOf(withSynonyms, 'gang')] : [])],
      [idOf(withSynonyms, 'selling'), idOf(withSynonyms, 'premium')],
    ]);
    expect(query.termWeights.get(idOf(withSynonyms, 'theta'))).toBe(1);
    expect(query.termWeights.get(idOf(withSynonyms, 'premium'))).toBeCloseTo(RELEVANCE.expansionWeight);
    // Without the synonym the phrase is two words, and nothing about selling premium.
    const plain = analyzeQuery(without.index, 'is the theta gang right');
    expect(plain.termWeights.has(idOf(without, 'premium'))).toBe(false);
  });

  it('bridge a word the knowledge base does not use: an unknown word becomes a known idea instead of a gap in the coverage', () => {
    const plain = analyzeQuery(without.index, 'my ccs');
    expect(plain.unknownWords).toContain('ccs');
    const read = analyzeQuery(withSynonyms.index, 'my ccs');
    expect(read.unknownWords).toEqual([]);
    expect(read.groups).toHaveLength(1);
    expect(read.groups[0]!.credit).toBe(1);
    expect(read.groups[0]!.alternatives).toEqual([[idOf(withSynonyms, 'covered'), idOf(withSynonyms, 'calls')]]);
  });

  it('let a question in shorthand be answered as if it were spelt out', () => {
    const spelt = without.ask('should I sell covered calls on my shares');
    const shorthand = 'should I sell ccs on my shares';
    expect(without.ask(shorthand).answer?.slug).not.toBe(spelt.answer?.slug);
    expect(spelt.answer?.slug).toBe('how-does-a-covered-call-work');
    expect(withSynonyms.ask(shorthand).answer?.slug).toBe('how-does-a-covered-call-work');
  });
});
