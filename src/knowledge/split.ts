import { Lexer, type Token, type Tokens } from 'marked';

/**
 * Passage sizing. A passage is what a member sees as the excerpt, so it must stay readable in an embed:
 * whole sentences, a few of them, never past MAX_PASSAGE_CHARS (the answer excerpt limit is ~700).
 */
export const TARGET_PASSAGE_CHARS = 450;
export const MAX_PASSAGE_CHARS = 700;

export interface Section {
  heading?: string;
  /** Plain-text blocks (paragraphs, list items, table rows) in order. */
  blocks: string[];
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Plain text of inline Markdown tokens (emphasis, links and code keep their text). */
function inlineText(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens || tokens.length === 0) return fallback;
  return tokens
    .map((token) => {
      if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) {
        return inlineText(token.tokens, 'text' in token ? String(token.text) : '');
      }
      if (token.type === 'br') return ' ';
      return 'text' in token ? String(token.text) : '';
    })
    .join('');
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function clean(text: string): string {
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

function blockTexts(token: Token): string[] {
  switch (token.type) {
    case 'paragraph':
    case 'text':
      return [clean(inlineText((token as Tokens.Paragraph).tokens, (token as Tokens.Paragraph).text))];
    case 'list':
      return (token as Tokens.List).items.flatMap((item) => item.tokens.flatMap(blockTexts)).map(endSentence);
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.flatMap(blockTexts);
    case 'table': {
      const table = token as Tokens.Table;
      const header = table.header.map((cell) => clean(inlineText(cell.tokens, cell.text)));
      return table.rows.map((row) =>
        endSentence(
          row.map((cell, i) => `${header[i] ? `${header[i]}: ` : ''}${clean(inlineText(cell.tokens, cell.text))}`).join(', '),
        ),
      );
    }
    case 'code':
      return [clean((token as Tokens.Code).text)];
    default:
      return [];
  }
}

/** List items and table rows often lack a full stop; add one so they read as sentences in an excerpt. */
function endSentence(text: string): string {
  return /[.!?:;]$/.test(text) ? text : `${text}.`;
}

/** Markdown body -> sections of plain-text blocks, split at headings. */
export function markdownSections(markdown: string): Section[] {
  const sections: Section[] = [{ blocks: [] }];
  for (const token of new Lexer().lex(markdown)) {
    if (token.type === 'heading') {
      sections.push({ heading: clean(inlineText((token as Tokens.Heading).tokens, (token as Tokens.Heading).text)), blocks: [] });
      continue;
    }
    const current = sections[sections.length - 1]!;
    current.blocks.push(...blockTexts(token).filter((text) => text.length > 0));
  }
  return sections.filter((section) => section.blocks.length > 0);
}

/** Whole plain text of Markdown sections, paragraphs separated by blank lines. */
export function sectionsToPlainText(sections: Section[]): string {
  return sections.flatMap((section) => (section.heading ? [section.heading, ...section.blocks] : section.blocks)).join('\n\n');
}

/** The first paragraph-like block of Markdown sections. */
export function firstParagraph(sections: Section[]): string {
  return sections[0]?.blocks[0] ?? '';
}

export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const { segment } of sentenceSegmenter.segment(text)) {
    const sentence = segment.trim();
    if (sentence) sentences.push(sentence);
  }
  return sentences;
}

/** Cuts an over-long sentence at a word boundary so no passage exceeds the limit. */
function capSentence(sentence: string, max: number): string[] {
  if (sentence.length <= max) return [sentence];
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const cut = rest.lastIndexOf(' ', max - 1);
    const at = cut > max / 2 ? cut : max - 1;
    pieces.push(`${rest.slice(0, at).trimEnd()}…`);
    rest = rest.slice(at).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Packs the sentences of one section into passages near TARGET_PASSAGE_CHARS. Paragraph breaks are preferred
 * cut points, but short paragraphs are merged so a passage has enough words to be found and to read well.
 */
export function packSection(blocks: string[], target = TARGET_PASSAGE_CHARS, max = MAX_PASSAGE_CHARS): string[] {
  const passages: string[] = [];
  let current = '';
  const flush = () => {
    if (current) passages.push(current);
    current = '';
  };
  for (const block of blocks) {
    // A block that fits with what we have and keeps us near the target joins the current passage.
    if (current && current.length + 1 + block.length <= target) {
      current = `${current} ${block}`;
      continue;
    }
    if (current.length >= target / 2) flush();
    for (const sentence of splitSentences(block).flatMap((s) => capSentence(s, max))) {
      if (current && current.length + 1 + sentence.length > max) flush();
      current = current ? `${current} ${sentence}` : sentence;
      if (current.length >= target) flush();
    }
  }
  flush();
  return passages;
}

export interface SplitPassage {
  section?: string;
  text: string;
}

/** Splits an article body into passages at headings and paragraphs. */
export function splitArticle(markdown: string): SplitPassage[] {
  return markdownSections(markdown).flatMap((section) =>
    packSection(section.blocks).map((text) => (section.heading ? { section: section.heading, text } : { text })),
  );
}
