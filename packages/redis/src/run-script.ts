import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** An ioredis client: a single node (`Redis`) or a cluster. */
export type RedisClient = Redis | Cluster;

/** A Lua script with its SHA-1, run by EVALSHA with a fallback to EVAL on NOSCRIPT. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** Prepares a Lua script for {@link runScript}. */
export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Thrown when Redis is not connected or does not answer within the time limit. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/**
 * Runs a script atomically on the server. Fails fast while the client is not connected, so a caller
 * never waits behind ioredis' offline queue, and gives up after `timeoutMs` so a hung connection
 * cannot stall a request.
 */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: string[],
  args: (string | number)[],
  timeoutMs: number,
): Promise<unknown> {
  if (client.status !== 'ready') {
    throw new RedisUnavailableError(`Redis is not connected (client status: ${client.status})`);
  }
  const call = async (): Promise<unknown> => {
    try {
      return await client.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // The script cache is empty after a restart or a failover: send the source once.
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return client.eval(script.source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RedisUnavailableError(`Redis did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    // A reply error is Redis answering (a bug in the script or the data): let it through. Anything
    // else (the connection dropped mid-call, ioredis gave up retrying) means Redis is unavailable,
    // whichever of the two races noticed first.
    if (error instanceof RedisUnavailableError || (error instanceof Error && error.name === 'ReplyError'))
      throw error;
    throw new RedisUnavailableError(
      `Redis is unavailable: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
  }
}
