/**
 * The server process's life at its edges: a start that cannot listen says why and exits 1; SIGTERM
 * lets a request already in flight finish (its body still arriving when the signal comes), flushes
 * the event it caused to the Redis stream, and exits 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../packages/redis/test/redis-server.ts';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = 'lifecycle-bootstrap-token-0123456789';
const STREAM = 'scim:events:lifecycle';

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let workDir: string;
let redis: TestRedis | undefined;
const runs: Run[] = [];

function run(env: Record<string, string>): Run {
  let output = '';
  const child = spawn(process.execPath, ['--conditions=@scim/source', 'src/main.ts'], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SCIM_SQLITE_PATH: join(workDir, 'scim.sqlite'),
      SCIM_BOOTSTRAP_TOKEN: TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  // 'close', not 'exit': it comes once the output pipes are drained too, so output() is complete
  // when `exited` resolves ('exit' can come before the last lines are read).
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void exited.then(() => clearTimeout(timer));
  const started = { child, output: () => output, exited };
  runs.push(started);
  return started;
}

/**
 * The port in the server's 'SCIM server listening' log line, once that whole line has arrived. The
 * servers listen on port 0: the OS picks a free port as they listen (a port probed beforehand could
 * be taken by another process, an outgoing connection for one, before the server binds it).
 */
function listeningPort(output: string): number | undefined {
  for (const line of output.split('\n').slice(0, -1)) {
    if (!line.includes('"SCIM server listening"')) continue;
    const entry = JSON.parse(line) as { port?: number };
    if (typeof entry.port === 'number' && entry.port > 0) return entry.port;
  }
  return undefined;
}

/** Polls until `check` is true, failing after `timeoutMs` with `what` and the server output. */
async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000 && !check(); i++) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Reads from a socket until `done(received)` holds or the socket ends. */
function readUntil(socket: Socket, done: (received: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString();
      if (done(received)) finish();
    };
    const finish = () => {
      socket.off('data', onData);
      socket.off('end', finish);
      socket.off('error', reject);
      resolve(received);
    };
    socket.on('data', onData);
    socket.once('end', finish);
    socket.once('error', reject);
  });
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'scim-lifecycle-'));
});

afterAll(async () => {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  await redis?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 30_000);

describe('server lifecycle', () => {
  it('says which port is taken and exits 1 when it cannot listen, without a stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const server = run({ PORT: String(port) });
      expect(await server.exited).toBe(1);
      expect(server.output()).toContain(
        `Cannot start the SCIM server: port ${port} is already in use on 127.0.0.1; stop the other process or set PORT to a free port`,
      );
      expect(server.output()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);

  it('on SIGTERM finishes a request in flight, publishes its event, then exits 0', async () => {
    redis = await startRedis();
    const server = run({ PORT: '0', REDIS_URL: redis.url, SCIM_EVENT_STREAM: STREAM });
    await until('the server to listen', () => listeningPort(server.output()) !== undefined);
    const port = listeningPort(server.output()) as number;

    // A POST whose headers are in and whose body is still on its way: with Expect: 100-continue the
    // server answers "100 Continue" once the request reached its handler, so it is in flight.
    const body = JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'in-flight@example.com',
    });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(
      [
        'POST /scim/v2/Users HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${TOKEN}`,
        'Content-Type: application/scim+json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Expect: 100-continue',
        '',
        '',
      ].join('\r\n'),
    );
    expect(await readUntil(socket, (r) => r.includes('\r\n\r\n'))).toMatch(/^HTTP\/1\.1 100 Continue/);
    socket.write(body.slice(0, 20));

    server.child.kill('SIGTERM');
    await until('shutdown to begin', () => server.output().includes('shutting down'));
    // New connections are no longer accepted while the old request is still being served.
    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);
    expect(server.child.exitCode).toBeNull();

    const response = readUntil(socket, (r) => /\r\n\r\n[\s\S]*"userName":"in-flight@example.com"/.test(r));
    socket.write(body.slice(20));
    const answer = await response;
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 201 Created/);
    const id = /"id":"([^"]+)"/.exec(answer)?.[1];
    expect(id).toBeDefined();

    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('stopped');
    // Event delivery was flushed before exit: the user's event is in the stream.
    const observer = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      const entries = await observer.xrange(STREAM, '-', '+');
      const events = entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1]!));
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'scim.user.provisioned', resourceId: id }),
      );
    } finally {
      observer.disconnect();
    }
  }, 90_000);

  it('exits on SIGTERM even when whatever read its output has gone (pnpm start | pino-pretty, then Ctrl-C)', async () => {
    const server = run({ PORT: '0', SCIM_SQLITE_PATH: join(workDir, 'epipe.sqlite') });
    await until('the server to listen', () => listeningPort(server.output()) !== undefined);
    const port = listeningPort(server.output()) as number;
    // The reader of stdout goes away: every later log line is written into a broken pipe.
    server.child.stdout?.destroy();
    await fetch(`http://127.0.0.1:${port}/healthz`);
    server.child.kill('SIGTERM');
    const exited = await Promise.race([
      server.exited,
      new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000)),
    ]);
    expect(exited).toBe(0);
  }, 60_000);
});
