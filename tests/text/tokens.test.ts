import { describe, expect, it } from 'vitest';
import { lookupKey } from '../../src/engine/glossary.js';
import { nameKey, surfaceTokens } from '../../src/text/tokens.js';

describe('nameKey', () => {
  it('ignores case, Unicode width and runs of spaces', () => {
    expect(nameKey('  A/D   Line ')).toBe('a/d line');
    expect(nameKey('ＩＣ')).toBe('ic');
    expect(nameKey('Iron\tCondor')).toBe(nameKey('iron condor'));
    expect(nameKey('A/D Line')).not.toBe(nameKey('AD Line'));
  });
});

describe('one name key for the loader and the engine', () => {
  it('is the word tokens of the name, which is how the glossary lookup keys names too', () => {
    for (const name of ['A/D Line', 'Advance-Decline Line', "Café's Théta", 'S&P 500', 'ＩＣ']) {
      expect(nameKey(name)).toBe(surfaceTokens(name).join(' '));
      expect(nameKey(name)).toBe(lookupKey(name));
    }
  });
});
