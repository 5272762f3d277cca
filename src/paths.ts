/**
 * The project's own folders (knowledge/, data/), found the same way from src/ under tsx and from dist/src/ once
 * compiled: the nearest folder above this file that holds package.json.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder from `start` upwards that holds a package.json; `start` itself if there is none. */
export function findProjectRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The knowledge base shipped with the bot. */
export const DEFAULT_KNOWLEDGE_DIR = path.join(PROJECT_ROOT, 'knowledge');
/** Where the question store lives unless DATA_DIR says otherwise. */
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, 'data');
