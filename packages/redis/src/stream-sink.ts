import type { JournalEvent } from '@scim/core';
import type { EventSink } from './server-types.js';
import { luaScript, type RedisClient, runScript } from './run-script.js';

/**
 * Appends a batch of events to the stream in one atomic step. With dedupe on, an event whose journal
 * position is not above the last one written is skipped, so two processes delivering the same batch
 * (or a retry after a lost reply) add each event once. ARGV: maxLen, dedupe flag, then five values
 * per event: position, id, type, tenantId, JSON. Returns the number of entries added.
 */
const APPEND = luaScript(`
local stream = KEYS[1]
local poskey = KEYS[2]
local maxlen = tonumber(ARGV[1])
local dedupe = ARGV[2] == '1'
local last = tonumber(redis.call('GET', poskey) or '0')
local added = 0
for i = 3, #ARGV, 5 do
  local position = tonumber(ARGV[i])
  if (not dedupe) or position > last then
    local fields = {'id', ARGV[i + 1], 'type', ARGV[i + 2], 'tenantId', ARGV[i + 3], 'position', ARGV[i], 'event', ARGV[i + 4]}
    if maxlen > 0 then
      redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', unpack(fields))
    else
      redis.call('XADD', stream, '*', unpack(fields))
    end
    if position > last then last = position end
    added = added + 1
  end
end
redis.call('SET', poskey, last)
return added
`);

/** Events per script call: keeps each atomic step short so Redis stays responsive. */
const CHUNK = 200;

/** Options of {@link redisStreamSink}. */
export interface RedisStreamSinkOptions {
  /** An ioredis client. The sink never closes it. */
  client: RedisClient;
  /** The stream key (`XADD <stream>`). In a Redis Cluster give it a hash tag, e.g. `{scim}:events`. */
  stream: string;
  /**
   * Trim the stream to about this many entries (`MAXLEN ~`). 0 or absent keeps every entry.
   * @default undefined (no trimming)
   */
  maxLen?: number;
  /**
   * The sink's name: the dispatcher stores its journal position under it.
   * @default `redis-stream:<stream>`
   */
  name?: string;
  /**
   * Skip events whose journal position was already written to this stream, so that several
   * processes delivering from one store publish each event once. Turn it off only when several
   * separate stores write to the same stream (their positions are not comparable).
   * @default true
   */
  dedupe?: boolean;
  /**
   * The key holding the last written position (used by `dedupe`).
   * @default `<stream>:position`
   */
  positionKey?: string;
  /**
   * How long to wait for Redis before failing the delivery (the dispatcher retries it).
   * @default 2000
   */
  timeoutMs?: number;
}

/**
 * An {@link EventSink} that publishes journal events to a Redis stream with XADD, for the host
 * product's consumers (for example a worker that revokes sessions on `scim.user.deactivated`).
 * Each entry has the fields `id`, `type`, `tenantId`, `position` and `event` (the journal event as
 * JSON). A batch is written by one Lua script, atomically; when Redis is unreachable `deliver`
 * rejects and the dispatcher retries from its stored position, so nothing is lost.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createEventDispatcher } from '@scim/server';
 * import { redisStreamSink } from '@scim/redis';
 *
 * const sink = redisStreamSink({ client: new Redis('redis://127.0.0.1:6379'), stream: 'scim:events', maxLen: 100_000 });
 * const dispatcher = createEventDispatcher({ store, sinks: [sink] });
 * dispatcher.start();
 */
export function redisStreamSink(options: RedisStreamSinkOptions): EventSink {
  const { client, stream } = options;
  if (typeof stream !== 'string' || stream.length === 0) {
    throw new TypeError('redisStreamSink: stream must be a non-empty string');
  }
  const maxLen = options.maxLen ?? 0;
  if (!Number.isInteger(maxLen) || maxLen < 0) {
    throw new TypeError(`redisStreamSink: maxLen must be a non-negative integer, got ${String(maxLen)}`);
  }
  const positionKey = options.positionKey ?? `${stream}:position`;
  const dedupe = options.dedupe ?? true;
  const timeoutMs = options.timeoutMs ?? 2000;

  return {
    name: options.name ?? `redis-stream:${stream}`,
    async deliver(events: JournalEvent[]): Promise<void> {
      const ordered = [...events].sort((a, b) => a.position - b.position);
      for (let start = 0; start < ordered.length; start += CHUNK) {
        const args: (string | number)[] = [maxLen, dedupe ? '1' : '0'];
        for (const event of ordered.slice(start, start + CHUNK)) {
          args.push(event.position, event.id, event.type, event.tenantId, JSON.stringify(event));
        }
        await runScript(client, APPEND, [stream, positionKey], args, timeoutMs);
      }
    },
  };
}
