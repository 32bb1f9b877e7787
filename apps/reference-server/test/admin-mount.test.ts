import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const ADMIN_TOKEN = 'mount-test-admin-token-0123456789';
const SCIM_TOKEN = 'mount-test-scim-token-0123456789';

interface Started {
  child: ChildProcess;
  origin: string;
  dir: string;
}

/** Runs `pnpm start`'s entry (src/main.ts) as a child process on a free port; resolves once it listens. */
async function startMain(env: Record<string, string>): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-admin-mount-'));
  const child = spawn(process.execPath, ['--conditions=@scim/source', MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      SCIM_SQLITE_PATH: join(dir, 'scim.sqlite'),
      SCIM_BOOTSTRAP_TOKEN: SCIM_TOKEN,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // Only whole lines: a chunk can end in the middle of one.
      for (const line of output.split('\n').slice(0, -1)) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'SCIM server listening' && entry.port) resolve(`http://127.0.0.1:${entry.port}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`the server exited with ${code} before listening:\n${output}`)),
    );
  });
  return { child, origin, dir };
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started) return;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  await exited;
  rmSync(started.dir, { recursive: true, force: true });
}

const get = async (url: string, token?: string) => {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
};

describe('the admin page and API in pnpm start', () => {
  let started: Started | undefined;
  afterEach(async () => {
    await stop(started);
    started = undefined;
  });

  it('serves /admin and /admin/api with the admin token, and keeps admin and SCIM credentials apart', async () => {
    started = await startMain({ SCIM_ADMIN_TOKEN: ADMIN_TOKEN });
    const { origin } = started;
    const page = await get(`${origin}/admin`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sign in to the SCIM admin');

    const tenants = await get(`${origin}/admin/api/tenants`, ADMIN_TOKEN);
    expect(tenants.status).toBe(200);
    expect(tenants.json().items[0]).toMatchObject({
      id: 'default',
      baseUrl: expect.stringMatching(/\/scim\/v2$/),
    });

    expect((await get(`${origin}/admin/api/tenants`, SCIM_TOKEN)).status).toBe(401);
    expect((await get(`${origin}/scim/v2/Users`, ADMIN_TOKEN)).status).toBe(401);
    expect((await get(`${origin}/scim/v2/Users`, SCIM_TOKEN)).status).toBe(200);
    // The admin routes only claim /admin and what is under it; a path that merely starts with the
    // same letters is not theirs.
    expect((await get(`${origin}/admin?tab=tokens`)).status).toBe(200);
    expect((await get(`${origin}/administrator`)).status).toBe(404);
    expect((await get(`${origin}/admin/api/tenants?x=1`, ADMIN_TOKEN)).status).toBe(200);
  });

  it('answers 503 saying how to enable the admin API when SCIM_ADMIN_TOKEN is not set', async () => {
    started = await startMain({});
    const res = await get(`${started.origin}/admin/api/tenants`, ADMIN_TOKEN);
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({
      error: 'admin_api_disabled',
      detail: expect.stringContaining('SCIM_ADMIN_TOKEN'),
    });
    expect((await get(`${started.origin}/admin`)).status).toBe(200);
  });
});
