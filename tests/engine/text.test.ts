import { describe, expect, it } from 'vitest';
import { STOP_WORDS, analyze, isIndexable, normalizeText, stem, surfaceTokens } from '../../src/engine/text.js';

describe('surfaceTokens', () => {
  it('keeps joined abbreviations whole: P/E, A/D, S&P, P/CF', () => {
    expect(surfaceTokens('Is the P/E of the S&P 500 high? Check the A/D line and P/CF.')).toEqual([
      'is',
      'the',
      'p/e',
      'of',
      'the',
      's&p',
      '500',
      'high',
      'check',
      'the',
      'a/d',
      'line',
      'and',
      'p/cf',
    ]);
  });

  it('splits word pairs joined by a slash or ampersand, which are words of their own', () => {
    expect(surfaceTokens('calls/puts and risk&reward')).toEqual(['calls', 'puts', 'and', 'risk', 'reward']);
  });

  it('keeps decimals whole and drops a trailing full stop', () => {
    expect(surfaceTokens('Delta 0.35 and VIX 18.5.')).toEqual(['delta', '0.35', 'and', 'vix', '18.5']);
  });

  it('lower-cases, folds accents and drops apostrophes', () => {
    expect(surfaceTokens("Café's Théta doesn’t")).toEqual(['cafes', 'theta', 'doesnt']);
    expect(normalizeText('ÉTÉ')).toBe('ete');
  });

  it('has no tokens for punctuation only, and keeps other scripts as words', () => {
    expect(surfaceTokens('?!... ,;-- //')).toEqual([]);
    expect(surfaceTokens('Что такое опцион?')).toEqual(['что', 'такое', 'опцион']);
  });
});

describe('analyze', () => {
  it('drops stop words and chat filler, stems words, keeps abbreviations as they are', () => {
    expect(analyze('Whats the P/E ratio, please explain the S&P ratios')).toEqual(['p/e', stem('ratio'), 's&p', stem('ratios')]);
    expect(stem('ratios')).toBe(stem('ratio'));
    expect(stem('p/e')).toBe('p/e');
  });

  it('keeps the words that carry meaning in options talk', () => {
    for (const word of ['out', 'up', 'down', 'over', 'under', 'above', 'below', 'before', 'after', 'against', 'not', 'no']) {
      expect(STOP_WORDS.has(word)).toBe(false);
    }
    expect(analyze('out of the money')).toEqual(['out', stem('money')]);
  });

  it('treats single letters as noise and digits as words', () => {
    expect(isIndexable('a')).toBe(false);
    expect(isIndexable('s')).toBe(false);
    expect(isIndexable('0')).toBe(true);
    expect(isIndexable('the')).toBe(false);
    expect(analyze('S & P')).toEqual([]);
  });
});
