/** A first-in, first-out async lock: `run` calls are executed one at a time, in call order. */
export interface AsyncMutex {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Creates an async mutex.
 *
 * @example
 * const mutex = createAsyncMutex();
 * await Promise.all([mutex.run(async () => 1), mutex.run(async () => 2)]);
 */
export function createAsyncMutex(): AsyncMutex {
  let tail: Promise<void> = Promise.resolve();
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      const previous = tail;
      let release!: () => void;
      tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
