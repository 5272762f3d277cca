/**
 * The engine behind a running bot: loads the knowledge base, and reloads it aside before swapping it in.
 */
import { readKnowledgeBase } from '../knowledge/read.js';
import type { KnowledgeIssue } from '../knowledge/types.js';
import { TimeSlicer } from '../slices.js';
import { Engine, loadEngine } from './engine.js';

export type ReloadResult = { ok: true; engine: Engine; ms: number; articles: number; glossary: number } | { ok: false; issues: KnowledgeIssue[]; ms: number };

/**
 * Holds the engine that answers questions and swaps it atomically on reload: the new knowledge base is read,
 * validated and indexed aside, and only a valid one replaces the old. Callers take `current()` once per
 * interaction, so an interaction in flight finishes on the engine it started with.
 */
/** How long a reload may hold the event loop at a time (Discord wants an acknowledgement within 3 s). */
export const RELOAD_SLICE_MS = 20;

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
    // Read, validate and index in slices: interactions are served in between (RELOAD_SLICE_MS at a time at most,
    // plus the longest single step: one file, one article).
    const slicer = new TimeSlicer(RELOAD_SLICE_MS);
    const { kb, issues } = await readKnowledgeBase(this.dir, slicer);
    if (!kb) return { ok: false, issues, ms: performance.now() - started };
    const engine = await Engine.buildInSlices(kb, slicer);
    this.engine = engine;
    return { ok: true, engine, ms: performance.now() - started, articles: kb.articles.length, glossary: kb.glossary.length };
  }
}
