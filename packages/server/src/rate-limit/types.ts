/** The outcome of one `consume`. */
export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets (the Retry-After when refused). */
  resetAfterMs: number;
}

/** Counts requests per key. Implementations: the in-memory default and `@scim/redis`. */
export interface RateLimiter {
  /** Counts one request for `key` and says whether it is allowed. */
  consume(key: string): Promise<RateLimitResult>;
}
