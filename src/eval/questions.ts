import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { z } from 'zod';

/** The answer-quality question set: tests/eval/questions/*.yaml. */
const entrySchema = z.strictObject({
  q: z.string().min(1),
  expect: z.union([z.literal('none'), z.array(z.string().regex(/^(article|glossary):[a-z0-9-]+$/)).min(1)]),
});

export interface EvalQuestion {
  file: string;
  question: string;
  /** Accepted answers as "kind:slug"; empty when the knowledge base does not cover the question. */
  accepted: string[];
}

export async function readQuestionSet(dir: string): Promise<EvalQuestion[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.yaml')).sort();
  const questions: EvalQuestion[] = [];
  for (const file of files) {
    const parsed = z.array(entrySchema).safeParse(load(await readFile(path.join(dir, file), 'utf8'), { schema: CORE_SCHEMA }));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    for (const entry of parsed.data) {
      questions.push({ file, question: entry.q, accepted: entry.expect === 'none' ? [] : entry.expect });
    }
  }
  return questions;
}
