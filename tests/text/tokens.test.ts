import { describe, expect, it } from 'vitest';
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
  it('is the word tokens of the name (the glossary lookup and the loader both use it)', () => {
    for (const name of ['A/D Line', 'Advance-Decline Line', "Café's Théta", 'S&P 500', 'ＩＣ']) {
      expect(nameKey(name)).toBe(surfaceTokens(name).join(' '));
    }
  });
});
