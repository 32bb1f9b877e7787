import { randomUUID } from 'node:crypto';
import type { RateLimiter, RateLimitResult } from './server-types.js';
import { luaScript, type RedisClient, runScript } from './run-script.js';

/**
 * Sliding-window log: one sorted-set entry per admitted request, scored with the Redis server's own
 * clock (TIME), so processes with skewed clocks still share one window. Expired entries are trimmed,
 * the request is admitted only if fewer than `limit` remain, and the key expires with its window.
 * Returns { allowed (0|1), count in window, ms until the oldest entry leaves }.
 */
const SLIDING = luaScript(`
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, ARGV[3])
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', key, window)
local reset = window
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
return {allowed, count, reset}
`);

/**
 * Fixed window: one counter per key, created with the window as its time to live. Rejected
 * requests are counted too but never admitted, so a client hammering the limit cannot extend it.
 */
const FIXED = luaScript(`
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local count = redis.call('INCR', key)
if count == 1 then redis.call('PEXPIRE', key, window) end
local ttl = redis.call('PTTL', key)
if ttl < 0 then
  redis.call('PEXPIRE', key, window)
  ttl = window
end
local allowed = 0
if count <= limit then allowed = 1 end
return {allowed, count, ttl}
`);

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** An ioredis client (single node or cluster). The limiter never closes it. */
  client: RedisClient;
  /** Requests admitted per key per window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /**
   * Prefix of the Redis keys (`<prefix><key>`); use one per deployment that shares a Redis.
   * @default 'scim:ratelimit:'
   */
  prefix?: string;
  /**
   * What to do when Redis cannot be asked (not connected, error, timeout): `'open'` admits the
   * request, `'closed'` rejects it. Either way `onError` is called.
   */
  failMode: 'open' | 'closed';
  /**
   * `'sliding'` counts the requests of the last `windowMs` exactly (a sorted set per key, one entry
   * per admitted request); `'fixed'` counts per window starting at the key's first request (one
   * counter per key, cheaper, allows up to twice the limit across a window boundary).
   * @default 'sliding'
   */
  algorithm?: 'sliding' | 'fixed';
  /**
   * How long to wait for Redis before applying `failMode`.
   * @default 500
   */
  timeoutMs?: number;
  /** Called with each Redis failure (for logs and metrics); must not throw. */
  onError?: (error: unknown) => void;
}

/**
 * A {@link RateLimiter} whose counts live in Redis, so every process sharing the Redis shares each
 * key's limit. Each check is one Lua script, atomic on the Redis server. `consume` never rejects: a
 * Redis failure is reported to `onError` and answered according to `failMode`.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createRedisRateLimiter } from '@scim/redis';
 *
 * const limiter = createRedisRateLimiter({
 *   client: new Redis('redis://127.0.0.1:6379'),
 *   limit: 600,
 *   windowMs: 60_000,
 *   failMode: 'open',
 * });
 * const result = await limiter.consume('credential-42');
 * if (!result.allowed) console.log(`retry in ${result.resetAfterMs} ms`);
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { client, limit, windowMs, failMode } = options;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new TypeError(`createRedisRateLimiter: limit must be a positive integer, got ${String(limit)}`);
  }
  if (!Number.isInteger(windowMs) || windowMs < 1) {
    throw new TypeError(
      `createRedisRateLimiter: windowMs must be a positive integer, got ${String(windowMs)}`,
    );
  }
  if (failMode !== 'open' && failMode !== 'closed') {
    throw new TypeError(
      `createRedisRateLimiter: failMode must be 'open' or 'closed', got ${String(failMode)}`,
    );
  }
  const prefix = options.prefix ?? 'scim:ratelimit:';
  const algorithm = options.algorithm ?? 'sliding';
  if (algorithm !== 'sliding' && algorithm !== 'fixed') {
    throw new TypeError(
      `createRedisRateLimiter: algorithm must be 'sliding' or 'fixed', got ${String(algorithm)}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 500;
  const script = algorithm === 'sliding' ? SLIDING : FIXED;

  return {
    async consume(key: string): Promise<RateLimitResult> {
      try {
        const args: (string | number)[] = [limit, windowMs];
        // A unique member per request: two requests in the same millisecond are two entries.
        if (algorithm === 'sliding') args.push(randomUUID());
        const reply = (await runScript(client, script, [prefix + key], args, timeoutMs)) as number[];
        const [allowed = 0, count = 0, reset = windowMs] = reply.map(Number);
        return {
          allowed: allowed === 1,
          limit,
          remaining: Math.max(0, limit - count),
          resetAfterMs: Math.max(0, reset),
        };
      } catch (error) {
        try {
          options.onError?.(error);
        } catch {
          // A failing observer must not turn a rate-limit check into a failed request.
        }
        return failMode === 'open'
          ? { allowed: true, limit, remaining: limit, resetAfterMs: 0 }
          : { allowed: false, limit, remaining: 0, resetAfterMs: Math.min(windowMs, 1000) };
      }
    },
  };
}
