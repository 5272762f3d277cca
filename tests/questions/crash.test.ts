import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { SqliteQuestionStore } from '../../src/questions/sqlite.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'report-then-wait.ts');
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps a question reported right before the process is killed with SIGKILL', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vix-crash-'));
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, 'Is the VIX a fear gauge?'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const stored = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('stored')) resolve(chunk.trim());
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before storing`)));
  });
  // No grace: the store never gets to close, checkpoint or flush anything after `report` resolved.
  child.kill('SIGKILL');
  const [, signal] = await exited;
  expect(signal).toBe('SIGKILL');
  expect(stored).toBe('stored 1');

  const store = new SqliteQuestionStore(dir);
  try {
    expect(await store.get(1)).toMatchObject({ question: 'Is the VIX a fear gauge?', status: 'open', count: 1, firstUserId: 'member-1' });
  } finally {
    store.close();
  }
});
