import { describe, expect, it } from 'vitest';
import { MAX_EXCERPT_CHARS, buildExcerpt, fitSentences, markTerms } from '../../src/engine/excerpt.js';
import { splitSentences } from '../../src/knowledge/split.js';
import { analyze, stem } from '../../src/engine/text.js';

const terms = (question: string) => new Set(analyze(question));
const plain = (text: string) => text.replace(/\*\*/g, '');

/** Ordinary sentences of about 80 characters each. */
function sentences(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Sentence number ${i + 1} explains how the short strike and the wing set the worst case.`);
}

describe('markTerms', () => {
  it('bolds every word whose stem is a question term, in any inflection, and nothing else', () => {
    expect(markTerms('The condor collects a credit; condors collect credits.', terms('condor credit'))).toBe(
      'The **condor** collects a **credit**; **condors** collect **credits**.',
    );
  });

  it('bolds joined abbreviations as one word', () => {
    expect(markTerms('The P/E of the S&P 500 fell.', terms('P/E S&P'))).toBe('The **P/E** of the **S&P** 500 fell.');
  });

  it('does not bold stop words even when asked for them', () => {
    expect(markTerms('What is the spread?', new Set(['the', 'what', stem('spread')]))).toBe('What is the **spread**?');
  });

  it('returns the text unchanged with no terms', () => {
    expect(markTerms('Nothing to mark here.', new Set())).toBe('Nothing to mark here.');
  });
});

describe('fitSentences', () => {
  it('keeps whole sentences up to the limit', () => {
    const text = sentences(12).join(' ');
    const excerpt = fitSentences([text]);
    expect(excerpt.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    const kept = splitSentences(excerpt);
    expect(kept).toEqual(splitSentences(text).slice(0, kept.length));
    // Greedy: one more sentence would not fit.
    expect(excerpt.length + 1 + splitSentences(text)[kept.length]!.length).toBeGreaterThan(MAX_EXCERPT_CHARS);
  });

  it('cuts a single over-long first sentence at a word boundary with an ellipsis', () => {
    const long = `${Array.from({ length: 200 }, (_, i) => `token${i}`).join(' ')}.`;
    const excerpt = fitSentences([long], 100);
    expect(excerpt.length).toBeLessThanOrEqual(100);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(long.startsWith(excerpt.slice(0, -1))).toBe(true);
    expect(long[excerpt.length - 1]).toBe(' ');
  });
});

describe('buildExcerpt', () => {
  it('borrows the following passage when the matched one is short and both fit', () => {
    const excerpt = buildExcerpt('A short passage about the wing.', 'The next passage adds detail.', terms('wing'));
    expect(excerpt).toBe('A short passage about the **wing**. The next passage adds detail.');
  });

  it('does not borrow when the passage is long enough already', () => {
    const passage = sentences(4).join(' ');
    expect(passage.length).toBeGreaterThan(280);
    expect(plain(buildExcerpt(passage, 'Following text.', terms('wing')))).toBe(passage);
  });

  it('stays within the limit of text (markers excluded), in whole sentences, with matched words marked', () => {
    const passage = sentences(12).join(' ');
    const excerpt = buildExcerpt(passage, undefined, terms('how do wings set the worst case'));
    expect(plain(excerpt).length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    expect(plain(excerpt)).toMatch(/^Sentence number 1 .*\.$/);
    expect(excerpt).toContain('**wing**');
    expect(excerpt).toContain('**worst** **case**');
    expect(excerpt).not.toContain('**short**');
  });
});
