/**
 * Long synchronous work in slices: a reload must not hold the event loop (and every member's interaction) for
 * seconds. Work calls `due()` between steps; when its budget is spent it gets a promise to await, which lets the
 * event loop run (setImmediate) before the next slice.
 */
export class TimeSlicer {
  private sliceStart = performance.now();
  constructor(readonly budgetMs: number) {}

  /** undefined while the slice has budget left; else a promise that resolves after the event loop has run. */
  due(): Promise<void> | undefined {
    const elapsed = performance.now() - this.sliceStart;
    if (elapsed < this.budgetMs) return undefined;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.sliceStart = performance.now();
        resolve();
      }),
    );
  }
}
