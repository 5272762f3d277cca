import { describe, expect, it } from 'vitest';
import { joinWithin, quoteMemberText, truncate } from '../../src/discord/text.js';

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
    const cut = truncate('plain words then **bold words that go on and on**', 30, { markdown: true });
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

describe('quoteMemberText', () => {
  it('cuts, escapes and quotes what a member typed', () => {
    expect(quoteMemberText('is **this** the VIX?')).toBe('“is \\*\\*this\\*\\* the VIX?”');
    expect(quoteMemberText('word '.repeat(100), 20).length).toBeLessThanOrEqual(22);
  });
});
