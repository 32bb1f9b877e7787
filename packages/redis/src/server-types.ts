import type { JournalEvent } from '@scim/core';

/**
 * The outcome of one rate-limit check, shaped like `@scim/server`'s `RateLimitResult` so that a
 * limiter from this package plugs into `createScimServer({ rateLimit: { limiter } })`.
 */
export interface RateLimitResult {
  /** False when the request must be answered with 429. */
  allowed: boolean;
  /** The configured number of requests per window. */
  limit: number;
  /** Requests left in the current window (0 when rejected). */
  remaining: number;
  /** Milliseconds until a request would be admitted again (for `Retry-After`). */
  resetAfterMs: number;
}

/** A rate limiter, structurally the `RateLimiter` interface of `@scim/server`. */
export interface RateLimiter {
  /** Counts one request under `key` and says whether it is allowed. Never rejects. */
  consume(key: string): Promise<RateLimitResult>;
}

/** An event sink, structurally the `EventSink` interface of `@scim/server`. */
export interface EventSink {
  /** Stable name under which the dispatcher stores this sink's journal position. */
  readonly name: string;
  /** Delivers a batch in journal order; rejecting makes the dispatcher retry the batch later. */
  deliver(events: JournalEvent[]): Promise<void>;
}
