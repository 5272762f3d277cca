import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import type { KnowledgeBase } from '../src/knowledge/types.js';
import { Random } from './random.js';

/**
 * Synthetic knowledge bases of a given number of article passages, in the knowledge format, for scale runs.
 *
 * Text: an order-2 word Markov chain trained on the shipped knowledge base (real finance English, real term
 * statistics), plus a long tail of invented company names, people and tickers whose pool grows with the corpus, so
 * the vocabulary grows with size as it does in real text. Articles look like the shipped ones: a question title,
 * tags and glossary terms taken from the shipped glossary (copied along), an intro and 2-4 "##" sections.
 *
 * Passage count: every paragraph is 250..445 characters of whole sentences of at most 195 characters, so the
 * splitter (src/knowledge/split.ts, target 450) makes exactly one passage of each paragraph; the generator stops at
 * the target count, and the bench checks the count the loader actually produced.
 */

const MIN_PARAGRAPH = 250;
const MAX_PARAGRAPH = 445;
const MAX_SENTENCE = 195;

class MarkovText {
  private readonly next = new Map<string, string[]>();
  private readonly starts: Array<[string, string]> = [];

  constructor(sentences: string[]) {
    for (const sentence of sentences) {
      const words = sentence.split(/\s+/).filter(Boolean);
      if (words.length < 6 || sentence.length > MAX_SENTENCE) continue;
      this.starts.push([words[0]!, words[1]!]);
      for (let i = 2; i <= words.length; i++) {
        const key = `${words[i - 2]} ${words[i - 1]}`;
        let list = this.next.get(key);
        if (!list) this.next.set(key, (list = []));
        list.push(words[i] ?? '');
      }
    }
  }

  sentence(random: Random): string {
    for (let attempt = 0; ; attempt++) {
      const [a, b] = random.pick(this.starts);
      const words = [a, b];
      while (words.length < 45) {
        const following = this.next.get(`${words[words.length - 2]} ${words[words.length - 1]}`);
        const word = following ? random.pick(following) : '';
        if (!word) break;
        words.push(word);
      }
      const text = words.join(' ');
      if (text.length <= MAX_SENTENCE && words.length >= 6 && /[.?!]$/.test(text)) return text;
      if (attempt > 50) return `${text.slice(0, MAX_SENTENCE - 1).replace(/\s+\S*$/, '')}.`;
    }
  }
}

const SYLLABLES = [
  'ar',
  'ven',
  'tor',
  'cal',
  'mi',
  'dex',
  'lo',
  'ra',
  'quin',
  'sol',
  'ter',
  'na',
  'bel',
  'cor',
  'vi',
  'zan',
  'mer',
  'os',
  'ta',
  'lin',
  'gro',
  'pha',
  'ke',
  'dru',
];
const COMPANY_SUFFIX = ['Capital', 'Holdings', 'Energy', 'Bancorp', 'Semiconductor', 'Logistics', 'Pharma', 'Partners', 'Group', 'Insurance'];
const FIRST_NAMES = ['Maria', 'James', 'Aiko', 'Luis', 'Priya', 'Tom', 'Elena', 'Kwame', 'Sofia', 'Daniel', 'Hannah', 'Omar'];

function inventedWord(random: Random): string {
  const word = Array.from({ length: random.int(2, 4) }, () => random.pick(SYLLABLES)).join('');
  return word[0]!.toUpperCase() + word.slice(1);
}

export interface GeneratedCorpus {
  dir: string;
  articles: number;
  passages: number;
  glossary: number;
  ms: number;
}

export async function writeSyntheticKnowledge(shipped: KnowledgeBase, shippedDir: string, passages: number, seed = 20261125): Promise<GeneratedCorpus> {
  const started = performance.now();
  const random = new Random(seed ^ passages);
  const sentences = [
    ...shipped.articles.flatMap((article) => article.passages.map((passage) => passage.text)),
    ...shipped.glossary.map((term) => term.text),
  ].flatMap((text) => text.split(/(?<=[.?!])\s+/));
  const markov = new MarkovText(sentences);
  const glossary = shipped.glossary;

  // The long tail: pools sized with the corpus, drawn Zipf-like.
  const companies = Array.from({ length: Math.max(20, Math.round(passages / 25)) }, () => `${inventedWord(random)} ${random.pick(COMPANY_SUFFIX)}`);
  const people = Array.from({ length: Math.max(10, Math.round(passages / 100)) }, () => `${random.pick(FIRST_NAMES)} ${inventedWord(random)}`);
  const tickers = Array.from({ length: Math.max(20, Math.round(passages / 50)) }, () =>
    Array.from({ length: random.int(3, 4) }, () => String.fromCharCode(65 + random.int(0, 25))).join(''),
  );

  const dir = await mkdtemp(path.join(tmpdir(), `bench-kb-${passages}-`));
  await mkdir(path.join(dir, 'articles'));
  await mkdir(path.join(dir, 'glossary'));
  await copyFile(path.join(shippedDir, 'site.yaml'), path.join(dir, 'site.yaml'));
  for (const name of await readdir(path.join(shippedDir, 'glossary'))) {
    if (name.endsWith('.md')) await copyFile(path.join(shippedDir, 'glossary', name), path.join(dir, 'glossary', name));
  }

  const sentence = (topic: string[]): string => {
    const base = markov.sentence(random);
    const lower = base[0]!.toLowerCase() + base.slice(1);
    const roll = random.next();
    let text = base;
    if (roll < 0.1) text = `At ${random.zipf(companies)}, ${lower}`;
    else if (roll < 0.17) text = `For ${random.zipf(tickers)} holders, ${lower}`;
    else if (roll < 0.22) text = `According to ${random.zipf(people)}, ${lower}`;
    else if (roll < 0.32 && topic.length > 0) text = `With ${random.pick(topic).toLowerCase()}, ${lower}`;
    return text.length <= MAX_SENTENCE ? text : base;
  };
  const paragraph = (topic: string[]): string => {
    let text = '';
    while (text.length < MIN_PARAGRAPH) {
      const next = sentence(topic);
      if (text.length + 1 + next.length <= MAX_PARAGRAPH) text = text ? `${text} ${next}` : next;
    }
    return text;
  };

  const TITLES = [
    (a: string) => `How does ${a} work?`,
    (a: string) => `What is ${a} and when should I use it?`,
    (a: string, b: string) => `${a} vs ${b}: what is the difference?`,
    (a: string, b: string) => `How do ${a} and ${b} affect my trade?`,
    (a: string) => `Is ${a} worth it for a small account?`,
    (a: string, b: string) => `When does ${a} matter more than ${b}?`,
  ];
  const HEADINGS = [
    (a: string) => `Why ${a} matters`,
    (a: string) => `How to use ${a}`,
    () => 'What can go wrong',
    () => 'The numbers that matter',
    (a: string) => `An example with ${a}`,
    () => 'Common mistakes',
    (a: string) => `${a} in practice`,
    () => 'Taxes, fees and costs',
  ];

  let written = 0;
  let articleCount = 0;
  const writes: Array<Promise<void>> = [];
  while (written < passages) {
    const terms = Array.from({ length: random.int(1, 4) }, () => random.zipf(glossary));
    const unique = [...new Map(terms.map((term) => [term.slug, term])).values()];
    const names = unique.map((term) => term.term);
    const topic = [...names, ...unique.flatMap((term) => term.aliases)];
    const title = random.pick(TITLES)(names[0]!.toLowerCase(), (names[1] ?? random.pick(glossary).term).toLowerCase());
    const sections: string[] = [];
    const budget = Math.min(passages - written, random.int(4, 12));
    let left = budget;
    const intro = Math.min(left, random.int(1, 2));
    for (let i = 0; i < intro; i++) sections.push(paragraph(topic));
    left -= intro;
    while (left > 0) {
      const heading = random.pick(HEADINGS)(random.pick(topic));
      const count = Math.min(left, random.int(1, 4));
      sections.push(`## ${heading[0]!.toUpperCase()}${heading.slice(1)}`);
      for (let i = 0; i < count; i++) sections.push(paragraph(topic));
      left -= count;
    }
    written += budget;
    articleCount++;
    const slug = `synthetic-${String(articleCount).padStart(6, '0')}`;
    const frontMatter = dump({
      title: `${title[0]!.toUpperCase()}${title.slice(1)}`,
      published: `20${String(random.int(18, 26)).padStart(2, '0')}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
      tags: [...new Set(names.map((name) => name.toLowerCase()))],
      glossary: unique.map((term) => term.slug),
    });
    writes.push(writeFile(path.join(dir, 'articles', `${slug}.md`), `---\n${frontMatter}---\n${sections.join('\n\n')}\n`));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return { dir, articles: articleCount, passages: written, glossary: glossary.length, ms: performance.now() - started };
}
