import type { RateLimitResult, RateLimiter } from './types.js';

/** Options of `createMemoryRateLimiter`. */
export interface MemoryRateLimiterOptions {
  /** Requests per window. @default 600 */
  limit?: number;
  /** @default 60000 */
  windowMs?: number;
  /** @default () => Date.now() */
  now?: () => number;
}

/**
 * A fixed-window rate limiter held in this process's memory. Enough for one process; use a shared
 * limiter (`@scim/redis`) behind a load balancer.
 *
 * @example
 * const limiter = createMemoryRateLimiter({ limit: 600, windowMs: 60_000 });
 * const { allowed } = await limiter.consume('tenant:credential');
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const limit = options.limit ?? 600;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = now();
  return {
    async consume(key: string): Promise<RateLimitResult> {
      const time = now();
      if (time - lastSweep > windowMs) {
        // Forget finished windows so idle keys do not accumulate.
        for (const [k, w] of windows) if (time - w.start >= windowMs) windows.delete(k);
        lastSweep = time;
      }
      let window = windows.get(key);
      if (window === undefined || time - window.start >= windowMs) {
        window = { start: time, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      const resetAfterMs = Math.max(0, window.start + windowMs - time);
      return {
        allowed: window.count <= limit,
        limit,
        remaining: Math.max(0, limit - window.count),
        resetAfterMs,
      };
    },
  };
}
