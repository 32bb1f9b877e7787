/** The server as `pnpm start` runs it: configuration errors, first start, probes, CLI, shutdown. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
let workDir: string;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Run {
  let output = '';
  const child = spawn(process.execPath, args, {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
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
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  void exited.then(() => clearTimeout(timer));
  return { child, output: () => output, exited };
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
 * Starts the server on port 0 and resolves once it listens (bounded), with the port it logged: the
 * OS picks a free port as the server listens (a port probed beforehand could be taken by another
 * process, an outgoing connection for one, before the server binds it).
 */
async function start(env: Record<string, string>): Promise<Run & { port: number }> {
  const server = run(['--conditions=@scim/source', 'src/main.ts'], { PORT: '0', ...env });
  const deadline = Date.now() + 20_000;
  let port = listeningPort(server.output());
  for (let i = 0; i < 2000 && port === undefined; i++) {
    if (server.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`server did not start:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
    port = listeningPort(server.output());
  }
  if (port === undefined) throw new Error(`server did not start:\n${server.output()}`);
  return { ...server, port };
}

async function stop(server: Run): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'scim-start-'));
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('pnpm start', () => {
  it('exits with code 2 and names every bad variable', async () => {
    const bad = run(['--conditions=@scim/source', 'src/main.ts'], {
      PORT: 'eighty',
      SCIM_STORE: 'postgres',
      SCIM_USER_DELETE: 'soft',
    });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/PORT="eighty" must be an integer from 0 to 65535/);
    expect(bad.output()).toMatch(/SCIM_STORE="postgres" is not allowed; use one of: sqlite, mongodb/);
    expect(bad.output()).toMatch(/SCIM_USER_DELETE="soft" is not allowed; use one of: deprovision, hard/);
  });

  it('creates ./data of the directory pnpm ran in, prints the base URL and a token once, serves probes and metrics', async () => {
    const first = await start({ INIT_CWD: workDir });
    const dbPath = join(workDir, 'data', 'scim.sqlite');
    expect(existsSync(dbPath)).toBe(true);
    expect(first.output()).toContain(`SCIM base URL: http://localhost:${first.port}/scim/v2`);
    const token = /shown once[^\n]*\n\n {2}(\S+)/.exec(first.output())?.[1];
    expect(token).toBeDefined();

    const base = `http://127.0.0.1:${first.port}`;
    const users = await fetch(`${base}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect(users.status).toBe(200);
    expect((await fetch(`${base}/scim/v2/Users`)).status).toBe(401);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('scim_http_requests_total{route="/Users",method="GET",status="200"} 1');
    expect(metrics).toContain('scim_http_requests_total{route="/Users",method="GET",status="401"} 1');
    expect(metrics).toContain('# TYPE scim_http_request_duration_seconds histogram');
    expect(await stop(first)).toBe(0);

    // The second start finds the tenant: no new token is printed, the first one still works.
    const second = await start({ INIT_CWD: workDir });
    expect(second.output()).not.toContain('shown once');
    const again = await fetch(`http://127.0.0.1:${second.port}/scim/v2/Users`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(again.status).toBe(200);
    expect(await stop(second)).toBe(0);

    // scim-admin works on the same data.
    const admin = run(['bin/scim-admin.mjs', 'tokens', 'list', '--json'], { INIT_CWD: workDir });
    expect(await admin.exited).toBe(0);
    const tokens = JSON.parse(admin.output());
    expect(tokens).toEqual([expect.objectContaining({ name: 'initial', state: 'active' })]);
    expect(admin.output()).not.toContain(token!);
  }, 60_000);

  it('uses SCIM_BOOTSTRAP_TOKEN as the first token without printing it', async () => {
    const dir = mkdtempSync(join(workDir, 'boot-'));
    const secret = 'ci-bootstrap-token-abcdefghijklmnop';
    const server = await start({ INIT_CWD: dir, SCIM_BOOTSTRAP_TOKEN: secret });
    expect(server.output()).not.toContain(secret);
    expect(server.output()).toContain('accepts the token from SCIM_BOOTSTRAP_TOKEN');
    const users = await fetch(`http://127.0.0.1:${server.port}/scim/v2/Users`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(users.status).toBe(200);
    expect(await stop(server)).toBe(0);
  }, 60_000);
});
