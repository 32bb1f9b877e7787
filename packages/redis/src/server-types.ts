// The interfaces this package implements are owned by @scim/server; re-exported for convenience.
export type { EventSink, RateLimiter, RateLimitResult } from '@scim/server';
