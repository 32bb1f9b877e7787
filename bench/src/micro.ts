/**
 * `pnpm --filter @scim/bench run micro`: what one request costs inside `ScimServer.handle()`, with no
 * HTTP and no second process, so the SCIM work itself can be profiled and A/B tested precisely.
 * Composes the server as the reference server does (SQLite store, bearer auth, memory rate limiter,
 * journal on, group PATCH answered with 204) over a database seeded by `profile` (`--dir`).
 *
 * Options: --concurrency 1 (requests in flight at once)  --dir <profile dir> (required)  --workload W1|W2|W3|W7  --seconds 5 (W3 and W7 write to the
 * database in --dir)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryRateLimiter, createScimServer, type ScimRequest } from '@scim/server';
import { createSqliteStore } from '@scim/store-sqlite';
import { argValue } from './args.ts';
import { entraPatchBody, oktaCreateBody } from './bodies.ts';
import type { SeedResult } from './seed.ts';

const dir = argValue('--dir', '');
if (!dir) throw new Error('--dir <a directory seeded by `profile`> is required');
const workload = argValue('--workload', 'W2').toUpperCase();
const seconds = Number(argValue('--seconds', '5'));
// Requests handled at once, like the load generator's connections (writes then share group commits).
const concurrency = Number(argValue('--concurrency', '1'));
const token = 'profile-token-for-local-benchmarks-only-0123456789';
const seeded = JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as SeedResult;
const keysOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const ids = keysOf(seeded.files.scimIds);
const userNames = keysOf(seeded.files.userNames);

const store = createSqliteStore({ database: join(dir, 'scim.sqlite') });
const scim = createScimServer({
  store,
  baseUrl: 'http://localhost:8080/scim/v2',
  rateLimit: { limiter: createMemoryRateLimiter({ limit: 1_000_000_000, windowMs: 60_000 }) },
  events: { onCommit: () => {} },
  policies: { groupPatchResponse: 'no-content' },
});

const headers = {
  authorization: `Bearer ${token}`,
  'content-type': 'application/scim+json',
  host: 'localhost',
};
let sequence = 0;
const pick = (keys: string[]) => keys[Math.floor(Math.random() * keys.length)]!;
const scimRequest = (method: string, path: string, query = '', body?: unknown): ScimRequest => ({
  method,
  path,
  query: new URLSearchParams(query),
  headers: { ...headers },
  remoteAddress: '127.0.0.1',
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
function request(): ScimRequest {
  switch (workload) {
    case 'W1':
      return scimRequest('GET', '/Users', `filter=${encodeURIComponent(`userName eq "${pick(userNames)}"`)}`);
    case 'W2':
      return scimRequest('GET', `/Users/${pick(ids)}`);
    case 'W3':
      return scimRequest('POST', '/Users', '', oktaCreateBody(`micro-${process.pid}-${sequence++}`));
    case 'W7':
      return scimRequest('PATCH', `/Users/${pick(ids)}`, '', entraPatchBody(sequence++));
    default:
      throw new Error('--workload must be W1, W2, W3 or W7');
  }
}

let done = 0;
let bytes = 0;
const started = performance.now();
const until = started + seconds * 1000;
while (performance.now() < until) {
  for (let i = 0; i < 100; i++) {
    const responses = await Promise.all(Array.from({ length: concurrency }, () => scim.handle(request())));
    for (const response of responses) {
      if (response.status >= 300) throw new Error(`${response.status} ${response.body}`);
      bytes += response.body?.length ?? 0;
      done++;
    }
  }
}
const elapsed = performance.now() - started;
process.stdout.write(
  `${workload}: ${done} requests, ${((1000 * elapsed) / done).toFixed(2)} us per handle() (${(bytes / done).toFixed(0)} bytes per body)\n`,
);
await store.close();
