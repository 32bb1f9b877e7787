import { Redis } from 'ioredis';
import type { Logger } from 'pino';

const MESSAGE = 'Redis is unavailable; rate limits use their fail mode and events wait in the journal';

/** A shared ioredis client with state-change logging (one line per outage, not per retry). */
export interface RedisConnection {
  client: Redis;
  /** PING with a time limit; rejects when Redis is unreachable. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to Redis and keeps reconnecting in the background (capped backoff). Commands never wait in
 * ioredis' offline queue: while disconnected they fail at once, so callers apply their fail policy.
 *
 * @example
 * const redis = connectRedis('redis://127.0.0.1:6379', logger);
 */
export function connectRedis(url: string, logger: Logger): RedisConnection {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
    lazyConnect: false,
  });
  let healthy = true;
  let closing = false;
  client.on('error', (error: Error) => {
    if (closing) return;
    if (healthy)
      logger.error(
        { err: error, redis: redact(url) },
        'Redis is unavailable; rate limits use their fail mode and events wait in the journal',
      );
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.info({ redis: redact(url) }, 'Redis is reachable again');
    healthy = true;
  });
  // A dropped connection emits 'close' (reconnect attempts may not emit 'error' at all).
  client.on('close', () => {
    if (closing || !healthy) return;
    logger.error({ redis: redact(url) }, MESSAGE);
    healthy = false;
  });
  return {
    client,
    async ping(timeoutMs = 1000) {
      if (client.status !== 'ready') throw new Error(`Redis is not connected (${client.status})`);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          client.ping(),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`Redis did not answer PING within ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      closing = true;
      try {
        if (client.status === 'ready') await client.quit();
        else client.disconnect();
      } catch {
        client.disconnect();
      }
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^@]*)@/, '//***@');
}
