/**
 * npm run questions -- learned [--write], as a process, on a copy of the fixture knowledge folder and a real store:
 * lists the phrasings per article, writes them into the articles' asked: lists (valid, formatting kept), marks
 * them exported, and writes nothing new the second time.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import { loadKnowledgeBase } from '../../src/knowledge/read.js';
import { fixtureCopy, type TempKb } from '../fixtures/kb.js';
import { tempStore, unanswered } from './helpers.js';

const run = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, 'src', 'cli', 'questions.ts');
const VALIDATE = path.join(PROJECT_ROOT, 'src', 'cli', 'validate.ts');

const CONDOR_FILE = 'articles/what-is-an-iron-condor.md';
const ROLL_FILE = 'articles/how-do-i-roll-a-short-put.md';

function cli(script: string, args: string[], env: Record<string, string>) {
  return run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
}

let kb: TempKb;
let store: ReturnType<typeof tempStore>;
let condorBefore: string;
let rollBefore: string;

beforeAll(async () => {
  kb = await fixtureCopy();
  // One article with an asked: list already (and a phrasing an editor also resolved), one without.
  const condor = await readFile(path.join(kb.dir, CONDOR_FILE), 'utf8');
  await kb.change({ [CONDOR_FILE]: condor.replace('glossary: [', 'asked:\n  - "iron condor for dummies"   # from the forum\nglossary: [') });
  condorBefore = await readFile(path.join(kb.dir, CONDOR_FILE), 'utf8');
  rollBefore = await readFile(path.join(kb.dir, ROLL_FILE), 'utf8');

  store = tempStore();
  const learn = async (question: string, slug: string, editor: string, userId = 'u1') => {
    const { questionId } = await store.store.report(unanswered(question, userId));
    await store.store.learn(questionId, slug, editor);
    store.advance(60_000);
  };
  await learn('four wing range trade with short strikes when volatility is rich', 'what-is-an-iron-condor', 'editor-1');
  await learn('Iron condor for dummies?', 'what-is-an-iron-condor', 'editor-2');
  await learn('my put is tested, do I "roll" it out: or take the loss', 'how-do-i-roll-a-short-put', 'editor-1');
  await learn('what about the article we deleted', 'an-article-since-removed', 'editor-2');
});

afterAll(async () => {
  store?.cleanup();
  await kb?.cleanup();
});

const env = () => ({ DATA_DIR: store.dir, KNOWLEDGE_DIR: kb.dir });

describe('npm run questions -- learned', () => {
  it('lists the learned phrasings per article with who resolved them and when, and writes nothing', async () => {
    const { stdout, stderr } = await cli(CLI, ['learned'], env());
    expect(stderr).toBe('');
    expect(stdout).toContain(`what-is-an-iron-condor (${CONDOR_FILE}): 1 learned phrasing(s)`);
    expect(stdout).toContain(
      '  "four wing range trade with short strikes when volatility is rich"  resolved by editor-1 at 2026-03-02T10:00:00.000Z (question #1)',
    );
    expect(stdout).toContain('  "Iron condor for dummies?"  already in the asked: list');
    expect(stdout).toContain(`how-do-i-roll-a-short-put (${ROLL_FILE}): 1 learned phrasing(s)`);
    expect(stdout).toContain('an-article-since-removed: 1 learned phrasing(s)\n  "what about the article we deleted"');
    expect(stdout).toContain('not written: no such article in the knowledge folder');
    expect(await readFile(path.join(kb.dir, CONDOR_FILE), 'utf8')).toBe(condorBefore);
    expect(await store.store.learnedPhrasings()).toHaveLength(4);
  });

  it('--write appends them to the asked: lists, keeps the files valid and as they were otherwise, and marks them exported', async () => {
    const written = await cli(CLI, ['learned', '--write'], env()).catch((error: { code: number; stdout: string }) => error);
    // The phrasing of a removed article could not be written: the run says so with its exit code.
    expect(written).toMatchObject({ code: 1 });
    expect(written.stdout).toContain('Wrote 2 phrasing(s) to 2 article file(s) and marked them exported.');

    const condor = await readFile(path.join(kb.dir, CONDOR_FILE), 'utf8');
    expect(condor).toBe(
      condorBefore.replace(
        '  - "iron condor for dummies"   # from the forum\n',
        '  - "iron condor for dummies"   # from the forum\n  - "four wing range trade with short strikes when volatility is rich"\n',
      ),
    );
    const roll = await readFile(path.join(kb.dir, ROLL_FILE), 'utf8');
    expect(roll.slice(roll.indexOf('\n---\n'))).toBe(rollBefore.slice(rollBefore.indexOf('\n---\n')));
    const reread = await loadKnowledgeBase(kb.dir);
    expect(reread.articleBySlug.get('how-do-i-roll-a-short-put')?.asked).toEqual(['my put is tested, do I "roll" it out: or take the loss']);
    expect(reread.articleBySlug.get('what-is-an-iron-condor')?.asked).toEqual([
      'iron condor for dummies',
      'four wing range trade with short strikes when volatility is rich',
    ]);
    await expect(cli(VALIDATE, [], env())).resolves.toMatchObject({ stderr: '' });

    // Only the removed article's phrasing is still waiting; the others are kept, marked exported.
    expect((await store.store.learnedPhrasings()).map((row) => row.slug)).toEqual(['an-article-since-removed']);
    expect((await store.store.learnedPhrasings({ includeExported: true })).filter((row) => row.exportedAt !== null)).toHaveLength(3);
  });

  it('writes nothing new the second time', async () => {
    const condor = await readFile(path.join(kb.dir, CONDOR_FILE), 'utf8');
    const roll = await readFile(path.join(kb.dir, ROLL_FILE), 'utf8');
    const again = await cli(CLI, ['learned', '--write'], env()).catch((error: { code: number; stdout: string }) => error);
    expect(again.stdout).toContain('Wrote 0 phrasing(s) to 0 article file(s)');
    expect(await readFile(path.join(kb.dir, CONDOR_FILE), 'utf8')).toBe(condor);
    expect(await readFile(path.join(kb.dir, ROLL_FILE), 'utf8')).toBe(roll);
  });

  it('says so when nothing waits', async () => {
    const [waiting] = await store.store.learnedPhrasings();
    await store.store.unlearn(waiting!.groupId);
    const { stdout } = await cli(CLI, ['learned', '--write'], env());
    expect(stdout).toBe('No learned phrasings waiting for export.\n');
  });
});
