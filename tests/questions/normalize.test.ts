import { describe, expect, it } from 'vitest';
import { normalizeQuestion, storableText } from '../../src/questions/normalize.js';

describe('normalizeQuestion', () => {
  it('folds case, accents, punctuation, mentions and filler into one key', () => {
    const key = normalizeQuestion('what is the vix');
    for (const variant of [
      'What is the VIX?',
      'Hi!  what is the vix, please?',
      '<@123456> what is   the Vix??? thanks',
      'what is the víx',
      'Hey, quick question: what is the VIX',
    ]) {
      expect(normalizeQuestion(variant)).toBe(key);
    }
  });

  it('keeps words that change the question, and joins apostrophes', () => {
    expect(normalizeQuestion("What's VIX's 52-week high?")).toBe('whats vixs 52 week high');
    expect(normalizeQuestion('What is the VIX?')).not.toBe(normalizeQuestion('What is the VXN?'));
  });

  it('gives an empty key to text without letters or digits', () => {
    expect(normalizeQuestion('??? !!!')).toBe('');
  });
});

describe('storableText', () => {
  it('strips control characters and caps the text at 1,000 characters', () => {
    expect(storableText('a\u0000b\u200b\tc\r\nd')).toBe('a b c d');
    expect(storableText('y'.repeat(5000))).toHaveLength(1000);
  });
});
