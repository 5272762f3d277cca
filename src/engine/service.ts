/**
 * The engine behind a running bot: loads the knowledge base, and reloads it aside before swapping it in.
 */
import { readKnowledgeBase } from '../knowledge/read.js';
import type { KnowledgeIssue } from '../knowledge/types.js';
import { Engine, loadEngine } from './engine.js';

export type ReloadResult =
  | { ok: true; engine: Engine; ms: number; articles: number; glossary: number }
  | { ok: false; issues: KnowledgeIssue[]; ms: number };

/**
 * Holds the engine that answers questions and swaps it atomically on reload: the new knowledge base is read,
 * validated and indexed aside, and only a valid one replaces the old. Callers take `current()` once per
 * interaction, so an interaction in flight finishes on the engine it started with.
 */
export class KnowledgeService {
  private engine: Engine;
  private reloading: Promise<ReloadResult> | null = null;

  constructor(
    readonly dir: string,
    engine: Engine,
  ) {
    this.engine = engine;
  }

  /** Loads the knowledge base at start-up; throws a KnowledgeError (file and field of each problem) if invalid. */
  static async load(dir: string): Promise<KnowledgeService> {
    return new KnowledgeService(dir, await loadEngine(dir));
  }

  current(): Engine {
    return this.engine;
  }

  /** Concurrent reloads share one run, so a file watcher and /reload cannot race each other. */
  reload(): Promise<ReloadResult> {
    this.reloading ??= this.buildAside().finally(() => {
      this.reloading = null;
    });
    return this.reloading;
  }

  private async buildAside(): Promise<ReloadResult> {
    const started = performance.now();
    const { kb, issues } = await readKnowledgeBase(this.dir);
    if (!kb) return { ok: false, issues, ms: performance.now() - started };
    const engine = new Engine(kb);
    this.engine = engine;
    return { ok: true, engine, ms: performance.now() - started, articles: kb.articles.length, glossary: kb.glossary.length };
  }
}
