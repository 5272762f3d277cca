import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/read.js';
import {
  MAX_PASSAGE_CHARS,
  TARGET_PASSAGE_CHARS,
  firstParagraph,
  markdownSections,
  sectionsToPlainText,
  packSection,
  splitArticle,
  splitSentences,
} from '../../src/knowledge/split.js';
import { FIXTURE_KB } from '../fixtures/kb.js';

/** n distinct, ordinary sentences ("Sentence 3 talks about strike 3 and premium 3."), each about 60 characters. */
function sentences(n: number, label = 'Sentence'): string[] {
  return Array.from({ length: n }, (_, i) => `${label} ${i + 1} talks about strike ${i + 1} and the premium paid for it.`);
}

const ARTICLE = `${sentences(2, 'Intro').join(' ')}

## Pricing basics

${sentences(14, 'Pricing').slice(0, 7).join(' ')}

${sentences(14, 'Pricing').slice(7).join(' ')}

## Risk

${sentences(3, 'Risk').join(' ')}
`;

describe('splitArticle', () => {
  const passages = splitArticle(ARTICLE);

  it('splits at headings and gives each passage its section', () => {
    expect(passages[0]).toEqual({ text: sentences(2, 'Intro').join(' ') });
    const sections = passages.map((p) => p.section);
    expect(sections[0]).toBeUndefined();
    expect(new Set(sections)).toEqual(new Set([undefined, 'Pricing basics', 'Risk']));
    // Sections keep their order, and no passage mixes two sections.
    expect(sections.indexOf('Risk')).toBeGreaterThan(sections.lastIndexOf('Pricing basics'));
    for (const passage of passages) {
      const labels = new Set(passage.text.match(/\b(Intro|Pricing|Risk) \d+/g)!.map((m) => m.split(' ')[0]));
      expect(labels.size).toBe(1);
      const label = [...labels][0];
      expect(passage.section).toBe(label === 'Intro' ? undefined : label === 'Pricing' ? 'Pricing basics' : 'Risk');
    }
  });

  it('cuts a long section into several passages near the target size, never over the maximum', () => {
    const pricing = passages.filter((p) => p.section === 'Pricing basics');
    expect(pricing.length).toBeGreaterThan(1);
    for (const passage of passages) expect(passage.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    // All but the last passage of a section reach at least half the target (short pieces are merged).
    for (const passage of pricing.slice(0, -1)) expect(passage.text.length).toBeGreaterThanOrEqual(TARGET_PASSAGE_CHARS / 2);
  });

  it('keeps whole sentences, in order, losing none', () => {
    const source = splitSentences(sectionsToPlainText(markdownSections(ARTICLE)).split('\n\n').filter((b) => !/^(Pricing basics|Risk)$/.test(b)).join(' '));
    const fromPassages = passages.flatMap((p) => splitSentences(p.text));
    expect(fromPassages).toEqual(source);
    for (const passage of passages) expect(passage.text).toMatch(/[.!?]$/);
  });

  it('merges short paragraphs of a section into one passage', () => {
    expect(splitArticle('First short one.\n\nSecond short one.\n\nThird short one.\n')).toEqual([
      { text: 'First short one. Second short one. Third short one.' },
    ]);
  });

  it('prefers a paragraph break as the cut when paragraphs are already long enough', () => {
    const a = sentences(5, 'Alpha').join(' ');
    const b = sentences(5, 'Beta').join(' ');
    expect(a.length).toBeGreaterThan(TARGET_PASSAGE_CHARS / 2);
    expect(a.length + b.length).toBeGreaterThan(TARGET_PASSAGE_CHARS);
    expect(splitArticle(`${a}\n\n${b}\n`).map((p) => p.text)).toEqual([a, b]);
  });

  it('never exceeds MAX_PASSAGE_CHARS, even for one enormous sentence, cutting it at word boundaries', () => {
    const words = Array.from({ length: 600 }, (_, i) => `word${i}`);
    const monster = `${words.join(' ')}.`;
    const pieces = splitArticle(`## Long\n\n${monster}\n`);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.section).toBe('Long');
      expect(piece.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    }
    // Every piece but the last says it was cut; no word is split or lost.
    for (const piece of pieces.slice(0, -1)) expect(piece.text.endsWith('…')).toBe(true);
    expect(pieces.map((p) => p.text.replace(/…$/, '')).join(' ')).toBe(monster);
  });

  it('turns list items and table rows into sentences, without Markdown markup', () => {
    const passages = splitArticle(`## Checklist

- the line confirms the **high**
- the line sits above its [moving average](https://example.com/ma)
- count the \`new lows\`!

| Signal | Reading |
| --- | --- |
| Line rising | broad rally |
| S&P falling | narrow |
`);
    expect(passages).toEqual([
      {
        section: 'Checklist',
        text:
          'the line confirms the high. the line sits above its moving average. count the new lows! ' +
          'Signal: Line rising, Reading: broad rally. Signal: S&P falling, Reading: narrow.',
      },
    ]);
  });
});

describe('packSection', () => {
  it('honours custom sizes', () => {
    const blocks = [sentences(10).join(' ')];
    const packed = packSection(blocks, 100, 150);
    expect(packed.length).toBeGreaterThan(3);
    for (const passage of packed) expect(passage.length).toBeLessThanOrEqual(150);
    expect(packed.join(' ')).toBe(blocks[0]);
  });

  it('returns nothing for no blocks', () => {
    expect(packSection([])).toEqual([]);
  });
});

describe('markdown helpers', () => {
  it('markdownSections drops empty sections and decodes entities', () => {
    expect(markdownSections('## Empty\n\n## Full\n\nTom &amp; Jerry like the S&P 500 and "quotes".\n')).toEqual([
      { heading: 'Full', blocks: ['Tom & Jerry like the S&P 500 and "quotes".'] },
    ]);
  });

  it('firstParagraph is the first block, even under a heading', () => {
    expect(firstParagraph(markdownSections('First *para* here.\n\nSecond.\n'))).toBe('First para here.');
    expect(firstParagraph(markdownSections('## Title\n\nUnder the title.\n'))).toBe('Under the title.');
    expect(firstParagraph(markdownSections(''))).toBe('');
  });

  it('sectionsToPlainText keeps headings and paragraphs, blank-line separated', () => {
    expect(sectionsToPlainText(markdownSections('Intro.\n\n## Part\n\nBody **bold**.\n'))).toBe('Intro.\n\nPart\n\nBody bold.');
  });

  it('splitSentences keeps abbreviations and decimals inside their sentence', () => {
    expect(splitSentences('The P/E is 21.5 today. Is that high? Yes!')).toEqual(['The P/E is 21.5 today.', 'Is that high?', 'Yes!']);
  });
});

describe('passages of the fixture knowledge base', () => {
  it('are within the limit, end in whole sentences, and come from their own article', async () => {
    const kb = await loadKnowledgeBase(FIXTURE_KB);
    const all = kb.articles.flatMap((a) => a.passages);
    expect(all.length).toBeGreaterThan(kb.articles.length);
    for (const passage of all) {
      expect(passage.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
      expect(passage.text).toMatch(/[.!?]$/);
    }
    const condor = kb.articleBySlug.get('what-is-an-iron-condor')!;
    expect(condor.passages.map((p) => p.section)).toEqual(
      expect.arrayContaining([undefined, 'How the position is built', 'When traders reach for it', 'What can go wrong']),
    );
  });
});
