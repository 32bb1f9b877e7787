import type { JournalEvent } from '@scim/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisStreamSink } from '../src/index.js';
import { startRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis;
const clients: Redis[] = [];

async function connect(): Promise<Redis> {
  const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  clients.push(client);
  await client.connect();
  return client;
}

let streamSeq = 0;
const uniqueStream = () => `test:events:${process.pid}:${streamSeq++}`;

function event(position: number, type = 'scim.user.provisioned'): JournalEvent {
  return {
    position,
    id: `evt-${position}`,
    tenantId: 'default',
    type,
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, position)).toISOString(),
    resourceType: 'User',
    resourceId: `user-${position}`,
  };
}

/** Reads the whole stream back as the journal events it carries. */
async function readStream(client: Redis, stream: string) {
  const entries = await client.xrange(stream, '-', '+');
  return entries.map(([, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
    return record;
  });
}

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});

describe('redisStreamSink', () => {
  it('appends each event with its fields and the full event as JSON, in journal order', async () => {
    const client = await connect();
    const stream = uniqueStream();
    const sink = redisStreamSink({ client, stream });
    expect(sink.name).toBe(`redis-stream:${stream}`);
    const events = [event(2, 'scim.user.deactivated'), event(1)];
    await sink.deliver(events);
    const records = await readStream(client, stream);
    expect(records.map((r) => r.position)).toEqual(['1', '2']);
    expect(records[1]).toMatchObject({ id: 'evt-2', type: 'scim.user.deactivated', tenantId: 'default' });
    expect(JSON.parse(records[1]!.event!)).toEqual(events[0]);
  });

  it('publishes each event once when batches are redelivered or delivered by two processes', async () => {
    const [a, b] = [await connect(), await connect()];
    const stream = uniqueStream();
    const first = redisStreamSink({ client: a, stream });
    const second = redisStreamSink({ client: b, stream });
    await first.deliver([event(1), event(2)]);
    await first.deliver([event(1), event(2)]);
    await Promise.all([
      first.deliver([event(2), event(3), event(4)]),
      second.deliver([event(3), event(4), event(5)]),
    ]);
    const records = await readStream(a, stream);
    expect(records.map((r) => Number(r.position))).toEqual([1, 2, 3, 4, 5]);
  });

  it('publishes duplicates when dedupe is off (for several stores on one stream)', async () => {
    const client = await connect();
    const stream = uniqueStream();
    const sink = redisStreamSink({ client, stream, dedupe: false });
    await sink.deliver([event(1)]);
    await sink.deliver([event(1)]);
    expect(await client.xlen(stream)).toBe(2);
  });

  it('trims the stream to about maxLen entries', async () => {
    const client = await connect();
    const stream = uniqueStream();
    const sink = redisStreamSink({ client, stream, maxLen: 10 });
    await sink.deliver(Array.from({ length: 1000 }, (_, i) => event(i + 1)));
    const length = await client.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(1000);
  });

  it('rejects while Redis is unreachable and delivers once it is back', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    clients.push(client);
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    const stream = uniqueStream();
    const sink = redisStreamSink({ client, stream, timeoutMs: 500 });
    await sink.deliver([event(1)]);

    await redis.stop();
    await expect(sink.deliver([event(2)])).rejects.toThrow(/Redis/);

    await redis.start();
    const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
    if (client.status !== 'ready') await ready;
    // The server restarted empty (no persistence): the retried batch lands as the stream's first entry.
    await sink.deliver([event(2)]);
    const records = await readStream(client, stream);
    expect(records.map((r) => r.position)).toEqual(['2']);
  });

  it('validates its options', () => {
    const client = new Redis(redis.url, { lazyConnect: true });
    clients.push(client);
    expect(() => redisStreamSink({ client, stream: '' })).toThrow(/stream must be a non-empty string/);
    expect(() => redisStreamSink({ client, stream: 's', maxLen: -1 })).toThrow(/maxLen/);
  });
});
