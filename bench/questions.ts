import { isIndexable, surfaceTokens } from '../src/engine/text.js';
import type { KnowledgeBase } from '../src/knowledge/types.js';
import { Random } from './random.js';

/**
 * Varied questions from a knowledge base's own vocabulary, deterministic for a seed: words of a random passage in
 * chat phrasings, glossary names, article titles, "a vs b", misspelt words (exercises typo correction), and ~15%
 * off-topic questions (exercises the "no confident answer" path).
 */
const OFF_TOPIC = [
  "what's the best pizza place in naples",
  'how do i fix a flat bike tyre',
  'who won the football match yesterday',
  'can you recommend a good sci-fi novel',
  'how long should i boil an egg',
  'what is the capital of mongolia',
  'how do i reset my router password',
  'is it going to rain tomorrow in lisbon',
  'best way to learn the guitar as an adult',
  'how many legs does a spider have',
  'my cat keeps knocking things off the table why',
  'how do i bake sourdough bread',
  'what time is it in tokyo',
  'recommend a hiking trail near denver',
  'how to get better sleep',
];
const OFF_TOPIC_WORDS = [
  'pizza',
  'guitar',
  'hiking',
  'garden',
  'sourdough',
  'kitten',
  'volcano',
  'poetry',
  'skateboard',
  'origami',
  'zebra',
  'karaoke',
  'marathon',
  'tulips',
  'chess',
];

const PASSAGE_FORMS = [
  (w: string[]) => `how does ${w.join(' ')} work`,
  (w: string[]) => `what about ${w.slice(0, -1).join(' ')} and ${w[w.length - 1]}?`,
  (w: string[]) => `${w.join(' ')}?`,
  (w: string[]) => `can someone explain ${w.join(' ')} pls`,
  (w: string[]) => `why would ${w.join(' ')} matter for my trade`,
  (w: string[]) => `is ${w.join(' ')} a good idea`,
];
const TERM_FORMS = [
  (t: string) => `what is ${t}?`,
  (t: string) => `${t}?`,
  (t: string) => `explain ${t} please`,
  (t: string) => `how do i use ${t}`,
  (t: string) => `whats ${t} mean`,
];

function typo(random: Random, question: string): string {
  const words = question.split(' ');
  const candidates = words.map((word, i) => [word, i] as const).filter(([word]) => /^\p{L}{5,}$/u.test(word));
  if (candidates.length === 0) return question;
  const [word, i] = random.pick(candidates);
  const at = random.int(1, word.length - 2);
  words[i] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(' ');
}

export interface BenchQuestion {
  text: string;
  kind: 'passage' | 'term' | 'title' | 'versus' | 'typo' | 'off-topic';
}

export function generateQuestions(kb: KnowledgeBase, count: number, seed = 6): BenchQuestion[] {
  const random = new Random(seed);
  const texts = [...kb.articles.flatMap((article) => article.passages.map((passage) => passage.text)), ...kb.glossary.map((term) => term.text)];
  const names = kb.glossary.flatMap((term) => [term.term, ...term.aliases]);
  const passageQuestion = () => {
    const words = surfaceTokens(random.pick(texts)).filter((word) => isIndexable(word) && word.length > 3);
    if (words.length === 0) return 'what is an option';
    const start = random.int(0, Math.max(0, words.length - 5));
    return random.pick(PASSAGE_FORMS)(words.slice(start, start + random.int(2, 5)));
  };
  const questions: BenchQuestion[] = [];
  while (questions.length < count) {
    const roll = random.next();
    if (roll < 0.3 || (names.length === 0 && roll < 0.55)) questions.push({ text: passageQuestion(), kind: 'passage' });
    else if (roll < 0.5 && names.length > 0) questions.push({ text: random.pick(TERM_FORMS)(random.pick(names)), kind: 'term' });
    else if (roll < 0.62 && kb.articles.length > 0) questions.push({ text: random.pick(kb.articles).title, kind: 'title' });
    else if (roll < 0.72 && names.length > 1) questions.push({ text: `${random.pick(names)} vs ${random.pick(names)}`, kind: 'versus' });
    else if (roll < 0.85)
      questions.push({
        text: typo(random, random.chance(0.5) || names.length === 0 ? passageQuestion() : `what is ${random.pick(names).toLowerCase()}`),
        kind: 'typo',
      });
    else {
      const text = random.chance(0.5) ? random.pick(OFF_TOPIC) : `how do i get into ${random.pick(OFF_TOPIC_WORDS)} and ${random.pick(OFF_TOPIC_WORDS)}`;
      questions.push({ text, kind: 'off-topic' });
    }
  }
  return questions;
}

/** Autocomplete input: 1..8 leading characters of a term or alias; 10% with one character mistyped (fuzzy path). */
export function generatePrefixes(kb: KnowledgeBase, count: number, seed = 8): string[] {
  const random = new Random(seed);
  const names = kb.glossary.flatMap((term) => [term.term, term.term, ...term.aliases]);
  if (names.length === 0) return [];
  return Array.from({ length: count }, () => {
    const name = random.pick(names);
    const prefix = name.slice(0, random.int(1, 8));
    if (prefix.length < 4 || !random.chance(0.1)) return prefix;
    const at = random.int(1, prefix.length - 1);
    return `${prefix.slice(0, at)}${String.fromCharCode(97 + random.int(0, 25))}${prefix.slice(at + 1)}`;
  });
}
