export { createRedisRateLimiter, type RedisRateLimiterOptions } from './rate-limiter.js';
export { redisStreamSink, type RedisStreamSinkOptions } from './stream-sink.js';
export { RedisUnavailableError, type RedisClient } from './run-script.js';
export type { EventSink, RateLimiter, RateLimitResult } from './server-types.js';
