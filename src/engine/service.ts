/**
 * The engine behind a running bot: loads the knowledge base, and reloads it aside before swapping it in.
 */
import { readKnowledgeBase } from '../knowledge/read.js';
import type { KnowledgeIssue } from '../knowledge/types.js';
import { TimeSlicer } from '../slices.js';
import { Engine, loadEngine, type LearnedPhrasing } from './engine.js';

export type ReloadResult =
  { ok: true; engine: Engine; ms: number; articles: number; glossary: number; learned: LearnedStatus } | { ok: false; issues: KnowledgeIssue[]; ms: number };

/**
 * A learned phrasing as the service takes it: with when it was exported to the knowledge files, if it was. Once
 * the files the service serves were read after that, they are the truth (an editor may have reworded or removed
 * it in review), and the phrasing is not applied again.
 */
export interface LearnedInput extends LearnedPhrasing {
  exportedAt?: string | null;
}

/** The learned phrasings the engine serving now uses, and those it dropped because their article is gone. */
export interface LearnedStatus {
  applied: number;
  dropped: LearnedPhrasing[];
}

/**
 * Holds the engine that answers questions and swaps it atomically on reload: the new knowledge base is read,
 * validated and indexed aside, and only a valid one replaces the old. Callers take `current()` once per
 * interaction, so an interaction in flight finishes on the engine it started with.
 */
/** How long a reload may hold the event loop at a time (Discord wants an acknowledgement within 3 s). */
export const RELOAD_SLICE_MS = 20;

export class KnowledgeService {
  /** The engine of the knowledge files alone; `engine` is it with the learned phrasings. */
  private fromFiles: Engine;
  private engine: Engine;
  private learned: readonly LearnedInput[] = [];
  /** When the files serving now were read (start of the read): phrasings exported before that are in them. */
  private filesReadAt: number;
  private learnedStatus: LearnedStatus = { applied: 0, dropped: [] };

  private reloading: Promise<ReloadResult> | null = null;

  constructor(
    readonly dir: string,
    engine: Engine,
    filesReadAt: Date = new Date(),
  ) {
    this.filesReadAt = filesReadAt.getTime();
    this.fromFiles = engine;
    this.engine = engine;
  }

  /** Loads the knowledge base at start-up; throws a KnowledgeError (file and field of each problem) if invalid. */
  static async load(dir: string): Promise<KnowledgeService> {
    const readAt = new Date();
    return new KnowledgeService(dir, await loadEngine(dir), readAt);
  }

  current(): Engine {
    return this.engine;
  }

  /**
   * Serves the knowledge files plus these learned phrasings (replacing the ones set before), from the next
   * interaction on; kept across reloads. Takes milliseconds (see withAskedPhrasings), no reload.
   */
  setLearned(phrasings: readonly LearnedInput[]): LearnedStatus {
    this.learned = [...phrasings];
    return this.applyLearned();
  }

  /** What the serving engine makes of the learned phrasings. */
  learnedNow(): LearnedStatus {
    return this.learnedStatus;
  }

  private applyLearned(): LearnedStatus {
    const notInFiles = this.learned.filter((phrasing) => !phrasing.exportedAt || Date.parse(phrasing.exportedAt) >= this.filesReadAt);
    const { engine, applied, dropped } = this.fromFiles.withLearned(notInFiles.map(({ slug, text }) => ({ slug, text })));
    this.engine = engine;
    this.learnedStatus = { applied, dropped };
    return this.learnedStatus;
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
    const readAt = Date.now();
    // Read, validate and index in slices: interactions are served in between (RELOAD_SLICE_MS at a time at most,
    // plus the longest single step: one file, one article).
    const slicer = new TimeSlicer(RELOAD_SLICE_MS);
    const { kb, issues } = await readKnowledgeBase(this.dir, slicer);
    if (!kb) return { ok: false, issues, ms: performance.now() - started };
    this.fromFiles = await Engine.buildInSlices(kb, slicer);
    this.filesReadAt = readAt;
    // The learned phrasings go on serving; those of articles the files no longer have are dropped (and reported).
    const learned = this.applyLearned();
    return { ok: true, engine: this.engine, ms: performance.now() - started, articles: kb.articles.length, glossary: kb.glossary.length, learned };
  }
}
