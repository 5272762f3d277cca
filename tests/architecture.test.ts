/**
 * The dependency rules of README "Architecture" that eslint does not see: eslint-plugin-import-x's no-cycle skips
 * `import type`, so this test looks for cycles with type imports counted (a type cycle is how the 9-file
 * config/discord/questions cycle started). Layer directions and discord.js are checked by `npm run lint`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/paths.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

/** Relative imports and re-exports of each file, type-only ones included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ['src', 'commands'].flatMap((dir) => sourceFiles(path.join(PROJECT_ROOT, dir)))) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm)]
      .map((match) => path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts')))
      .filter((target) => existsSync(target));
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(path.relative(PROJECT_ROOT, member));
      } while (member !== file);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

it('has no import cycle in src/ and commands/, type-only imports included', () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(50);
  expect(cycles(graph)).toEqual([]);
});

it('finds a cycle when there is one (the check itself works)', () => {
  const a = path.join(PROJECT_ROOT, 'a.ts');
  const b = path.join(PROJECT_ROOT, 'b.ts');
  expect(
    cycles(
      new Map([
        [a, [b]],
        [b, [a]],
      ]),
    ),
  ).toEqual([['a.ts', 'b.ts']]);
});

it('evaluates the knowledge files alone: npm run eval reaches no question store (so no learned phrasings)', () => {
  const graph = importGraph();
  const reached = new Set<string>();
  const visit = (file: string): void => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const target of graph.get(file) ?? []) visit(target);
  };
  visit(path.join(PROJECT_ROOT, 'src', 'cli', 'eval.ts'));
  const relative = [...reached].map((file) => path.relative(PROJECT_ROOT, file).split(path.sep).join('/'));
  expect(relative).toContain('src/engine/engine.ts');
  expect(relative.filter((file) => file.startsWith('src/questions/') || file === 'src/app.ts' || file.startsWith('src/discord/'))).toEqual([]);
});
