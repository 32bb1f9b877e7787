/**
 * Two reference-server processes share one SQLite file and one Redis: one rate limit, one event
 * stream. Then Redis goes away (SCIM keeps being served per fail mode, /readyz says not ready, the
 * failure is logged) and comes back (events committed meanwhile and afterwards arrive).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../packages/redis/test/redis-server.ts';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'integration-bootstrap-token-0123456789';
const STREAM = 'scim:events:integration';
const LIMIT = 30;

interface ServerProcess {
  name: string;
  port: number;
  child: ChildProcess;
  output: () => string;
}

let redis: TestRedis;
let observer: Redis;
let dataDir: string;
const servers: ServerProcess[] = [];

/** Polls `check` every 50 ms until it returns a value, failing after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let attempt = 0; attempt < 10_000 && Date.now() < deadline; attempt++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** The port in the server's 'SCIM server listening' log line, once that whole line has arrived. */
function listeningPort(output: string): number | undefined {
  for (const line of output.split('\n').slice(0, -1)) {
    if (!line.includes('"SCIM server listening"')) continue;
    const entry = JSON.parse(line) as { port?: number };
    if (typeof entry.port === 'number' && entry.port > 0) return entry.port;
  }
  return undefined;
}

/**
 * Starts a server on port 0 (the OS picks a free port as it listens; a port probed beforehand could
 * be taken by another process before the server binds it) and reads the port from its log.
 */
async function startServer(name: string, extraEnv: Record<string, string>): Promise<ServerProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--conditions=@scim/source', 'src/main.ts'], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      SCIM_SQLITE_PATH: join(dataDir, 'scim.sqlite'),
      REDIS_URL: redis.url,
      SCIM_EVENT_STREAM: STREAM,
      SCIM_BOOTSTRAP_TOKEN: TOKEN,
      SCIM_RATE_LIMIT: `${LIMIT}/1h`,
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const server = { name, port: 0, child, output: () => output };
  servers.push(server);
  server.port = await until(`${name} to listen\n${output}`, async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    return listeningPort(output);
  });
  return server;
}

async function request(server: ServerProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/scim+json',
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(5000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function createUser(server: ServerProcess, userName: string): Promise<string> {
  const response = await request(server, 'POST', '/scim/v2/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

/** The user ids of `scim.user.provisioned` entries in the stream, in stream order. */
async function provisionedInStream(): Promise<string[]> {
  const entries = await observer.xrange(STREAM, '-', '+');
  return entries
    .map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]!))
    .filter((event) => event.type === 'scim.user.provisioned')
    .map((event) => event.resourceId);
}

async function stopServer(server: ServerProcess): Promise<number | null> {
  if (server.child.exitCode !== null) return server.child.exitCode;
  // 'close', not 'exit': it comes once the process's output pipes are drained too, so output() is complete.
  const exited = new Promise<number | null>((resolve) => server.child.once('close', (code) => resolve(code)));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'scim-scale-out-'));
  redis = await startRedis();
  observer = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  // It reconnects during the outage on purpose; its connection errors are expected there.
  observer.on('error', () => {});
}, 60_000);

afterAll(async () => {
  for (const server of servers) await stopServer(server);
  observer?.disconnect();
  await redis?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('two processes with Redis', () => {
  it('share one rate limit and one event stream, survive a Redis outage and recover', async () => {
    // Sequential starts: the first creates the tenant and the bootstrap token in the shared file.
    const a = await startServer('a', { SCIM_RATE_LIMIT_FAIL: 'open' });
    const b = await startServer('b', { SCIM_RATE_LIMIT_FAIL: 'closed' });
    for (const server of [a, b]) {
      const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(ready.status).toBe(200);
    }

    // One event stream: users created through either process, each published once.
    const created = [
      await createUser(a, 'ada@example.com'),
      await createUser(b, 'bob@example.com'),
      await createUser(a, 'cy@example.com'),
      await createUser(b, 'di@example.com'),
    ];
    const published = await until('the four provisioned events in the stream', async () => {
      const ids = await provisionedInStream();
      return ids.length >= 4 ? ids : undefined;
    });
    expect([...published].sort()).toEqual([...created].sort());

    // One rate limit: 4 requests spent, LIMIT - 4 left across both processes together.
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++)
      statuses.push((await request(i % 2 ? b : a, 'GET', '/scim/v2/Users')).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT - 4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    const metrics = await (await fetch(`http://127.0.0.1:${a.port}/metrics`)).text();
    expect(metrics).toMatch(/scim_rate_limit_rejections_total [1-9]/);
    expect(metrics).toContain('scim_http_requests_total{route="/Users",method="GET",status="429"}');

    // Redis goes away.
    await redis.stop();
    for (const server of [a, b]) {
      await until(`${server.name} to report not ready`, async () => {
        const response = await fetch(`http://127.0.0.1:${server.port}/readyz`);
        if (response.status !== 503) return undefined;
        const body = (await response.json()) as { checks: Record<string, string> };
        return String(body.checks.redis).startsWith('unavailable') ? true : undefined;
      });
    }
    // Fail-open keeps serving (even past the exhausted limit); fail-closed refuses.
    expect((await request(a, 'GET', '/scim/v2/Users')).status).toBe(200);
    expect((await request(b, 'GET', '/scim/v2/Users')).status).toBe(429);
    const duringOutage = await createUser(a, 'eve@example.com');
    // Each process logs the outage. Its log lines reach this test through a pipe, independently of
    // the HTTP answers above, so wait for the line (bounded) rather than expect it to be there.
    for (const server of [a, b])
      await until(`${server.name} to log that Redis is unavailable`, async () =>
        server.output().includes('Redis is unavailable') ? true : undefined,
      );

    // Redis returns (empty: no persistence); the journal refills the stream.
    await redis.start();
    for (const server of [a, b]) {
      await until(`${server.name} to be ready again`, async () => {
        const response = await fetch(`http://127.0.0.1:${server.port}/readyz`);
        return response.status === 200 ? true : undefined;
      });
    }
    const afterRecovery = await createUser(b, 'fay@example.com');
    const republished = await until('events from the outage and after recovery', async () => {
      const ids = await provisionedInStream();
      return ids.includes(duringOutage) && ids.includes(afterRecovery) ? ids : undefined;
    });
    expect(republished.filter((id) => id === duringOutage)).toHaveLength(1);
    expect(republished.filter((id) => id === afterRecovery)).toHaveLength(1);
    // The restarted (empty) Redis holds exactly what was not delivered before the outage, each
    // event once although both processes deliver the same journal.
    const entries = await observer.xrange(STREAM, '-', '+');
    const eventIds = entries.map(([, fields]) => fields[fields.indexOf('id') + 1]);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    expect([...(await provisionedInStream())].sort()).toEqual([duringOutage, afterRecovery].sort());
    await until('a to log that Redis is reachable again', async () =>
      a.output().includes('Redis is reachable again') ? true : undefined,
    );

    // Graceful shutdown on SIGTERM.
    expect(await stopServer(a)).toBe(0);
    expect(await stopServer(b)).toBe(0);
    expect(a.output()).toContain('stopped');
  }, 120_000);
});
