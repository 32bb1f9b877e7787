/**
 * The load generator, run as its own process so it does not share an event loop with the server
 * under test. It reads one JSON job from argv, drives autocannon with fixed connections and
 * duration, and prints one JSON line of results.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { entraPatchBody, oktaCreateBody } from './bodies.ts';

/** One load job. `kind` picks how each request is built. */
export interface LoadJob {
  url: string;
  /** Path prefix of the target: `/scim/v2` or `/raw`. */
  prefix: string;
  token?: string;
  kind: 'lookup-userName' | 'get-id' | 'create-user' | 'patch-user' | 'add-member';
  /** A file with one id or userName per line, picked at random per request. */
  keysFile?: string;
  /** Group ids to add members to (add-member). */
  groupId?: string;
  connections: number;
  durationSeconds: number;
}

/** What the load generator reports. */
export interface LoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
const keys = job.keysFile ? readFileSync(job.keysFile, 'utf8').split('\n').filter(Boolean) : [];
const pick = () => keys[Math.floor(Math.random() * keys.length)]!;
const headers: Record<string, string> = { 'content-type': 'application/scim+json' };
if (job.token) headers.authorization = `Bearer ${job.token}`;
let sequence = 0;

function build(): { method: string; path: string; body?: string } {
  switch (job.kind) {
    case 'lookup-userName':
      return {
        method: 'GET',
        path: `${job.prefix}/Users?filter=${encodeURIComponent(`userName eq "${pick()}"`)}`,
      };
    case 'get-id':
      return { method: 'GET', path: `${job.prefix}/Users/${pick()}` };
    case 'create-user': {
      const n = `${process.pid}-${sequence++}-${randomUUID().slice(0, 8)}`;
      return { method: 'POST', path: `${job.prefix}/Users`, body: JSON.stringify(oktaCreateBody(n)) };
    }
    case 'patch-user':
      return {
        method: 'PATCH',
        path: `${job.prefix}/Users/${pick()}`,
        body: JSON.stringify(entraPatchBody(sequence++)),
      };
    case 'add-member': {
      const body = {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: pick() }] }],
      };
      return { method: 'PATCH', path: `${job.prefix}/Groups/${job.groupId}`, body: JSON.stringify(body) };
    }
  }
}

const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.durationSeconds,
  headers,
  requests: [
    {
      setupRequest: (request) => {
        const next = build();
        return { ...request, method: next.method as 'GET', path: next.path, body: next.body, headers };
      },
    },
  ],
});

const out: LoadResult = {
  requestsPerSecond: result.requests.average,
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
  total: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
