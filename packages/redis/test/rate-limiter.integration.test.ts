import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimiter } from '../src/index.js';
import { startRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis;
const clients: Redis[] = [];

/** A connected client; closed after the suite. */
async function connect(): Promise<Redis> {
  const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  clients.push(client);
  await client.connect();
  return client;
}

let keySeq = 0;
const uniqueKey = () => `k${process.pid}-${Date.now()}-${keySeq++}`;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});

describe.each(['sliding', 'fixed'] as const)('createRedisRateLimiter (%s window)', (algorithm) => {
  it('admits `limit` requests per window, then rejects with a reset time', async () => {
    const limiter = createRedisRateLimiter({
      client: await connect(),
      limit: 3,
      windowMs: 60_000,
      failMode: 'closed',
      algorithm,
    });
    const key = uniqueKey();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.consume(key));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.limit).toBe(3);
    expect(results[3]!.resetAfterMs).toBeGreaterThan(0);
    expect(results[3]!.resetAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps separate keys apart', async () => {
    const limiter = createRedisRateLimiter({
      client: await connect(),
      limit: 1,
      windowMs: 60_000,
      failMode: 'closed',
      algorithm,
    });
    const [a, b] = [uniqueKey(), uniqueKey()];
    expect((await limiter.consume(a)).allowed).toBe(true);
    expect((await limiter.consume(a)).allowed).toBe(false);
    expect((await limiter.consume(b)).allowed).toBe(true);
  });

  it('shares one limit between clients and stays exact under concurrency', async () => {
    const [first, second] = [await connect(), await connect()];
    const options = { limit: 20, windowMs: 60_000, failMode: 'closed' as const, algorithm };
    const limiters = [
      createRedisRateLimiter({ client: first, ...options }),
      createRedisRateLimiter({ client: second, ...options }),
    ];
    const key = uniqueKey();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => limiters[i % 2]!.consume(key)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
  });

  it('lets its key expire with the window', async () => {
    const client = await connect();
    const limiter = createRedisRateLimiter({
      client,
      limit: 5,
      windowMs: 30_000,
      failMode: 'closed',
      algorithm,
      prefix: 'test:rl:',
    });
    const key = uniqueKey();
    await limiter.consume(key);
    const ttl = await client.pttl(`test:rl:${key}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });
});

describe('createRedisRateLimiter when Redis fails', () => {
  it('admits (fail-open) or rejects (fail-closed) and reports the error while not connected', async () => {
    // Never connected: status stays 'wait', so the limiter must not queue behind ioredis.
    const offline = new Redis(redis.url, { lazyConnect: true });
    clients.push(offline);
    const errors: unknown[] = [];
    const open = createRedisRateLimiter({
      client: offline,
      limit: 1,
      windowMs: 1000,
      failMode: 'open',
      onError: (e) => errors.push(e),
    });
    const closed = createRedisRateLimiter({
      client: offline,
      limit: 1,
      windowMs: 1000,
      failMode: 'closed',
      onError: (e) => errors.push(e),
    });
    expect((await open.consume('x')).allowed).toBe(true);
    expect((await open.consume('x')).allowed).toBe(true);
    expect((await closed.consume('x')).allowed).toBe(false);
    expect(errors).toHaveLength(3);
    expect((errors[0] as Error).name).toBe('RedisUnavailableError');
  });

  it('reloads its script after the script cache is flushed', async () => {
    const client = await connect();
    const limiter = createRedisRateLimiter({ client, limit: 2, windowMs: 60_000, failMode: 'closed' });
    const key = uniqueKey();
    expect((await limiter.consume(key)).allowed).toBe(true);
    await client.script('FLUSH');
    const errors: unknown[] = [];
    const again = createRedisRateLimiter({
      client,
      limit: 2,
      windowMs: 60_000,
      failMode: 'closed',
      onError: (e) => errors.push(e),
    });
    expect((await again.consume(key)).allowed).toBe(true);
    expect((await again.consume(key)).allowed).toBe(false);
    expect(errors).toEqual([]);
  });

  it('rejects invalid options with a message naming the option', () => {
    const client = new Redis(redis.url, { lazyConnect: true });
    clients.push(client);
    expect(() => createRedisRateLimiter({ client, limit: 0, windowMs: 1000, failMode: 'open' })).toThrow(
      /limit must be a positive integer/,
    );
    expect(() => createRedisRateLimiter({ client, limit: 1, windowMs: 1.5, failMode: 'open' })).toThrow(
      /windowMs/,
    );
    expect(() =>
      createRedisRateLimiter({ client, limit: 1, windowMs: 1000, failMode: 'maybe' as 'open' }),
    ).toThrow(/failMode must be 'open' or 'closed'/);
  });
});
