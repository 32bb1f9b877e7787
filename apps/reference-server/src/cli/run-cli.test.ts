import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Store } from '@scim/core';
import { createMemoryStore } from '@scim/core/memory';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StoreConfig } from '../config/index.ts';
import { runCli } from './run-cli.ts';

let stores: Map<string, Store>;

/** Runs the CLI against in-memory stores (kept across runs, keyed by path) and captures its output. */
async function cli(args: string[], stdin = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await runCli(args, {
    env: { SCIM_SQLITE_PATH: '/virtual/main.sqlite', SCIM_DEFAULT_TENANT: 'acme' },
    io: { stdout, stderr, stdin: Readable.from([stdin]) },
    signal: new AbortController().signal,
    openStore: async (config: StoreConfig) => {
      const key = config.kind === 'sqlite' ? config.path : config.uri;
      if (key.includes('unreachable')) throw new Error(`connect ECONNREFUSED (${key})`);
      let store = stores.get(key);
      if (!store) {
        store = createMemoryStore();
        stores.set(key, store);
      }
      return { store, description: key, close: async () => {} };
    },
  });
  return { code, out, err };
}

beforeEach(async () => {
  stores = new Map();
  expect((await cli(['tenants', 'create', 'acme', '--name', 'Acme Inc'])).code).toBe(0);
});

describe('scim-admin', () => {
  it('prints help and rejects unknown commands and options with exit code 2', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('tokens rotate');
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command 'frobnicate'/);
    const badOption = await cli(['tokens', 'list', '--colour']);
    expect(badOption.code).toBe(2);
    expect(badOption.err).toMatch(/usage: scim-admin tokens list/);
    const missing = await cli(['tokens', 'issue']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--name is required/);
  });

  it('exits 2 naming the variable when the configuration is invalid', async () => {
    const result = await runCli(['tenants', 'list'], {
      env: { SCIM_STORE: 'oracle' },
      io: {
        stdout: new PassThrough(),
        stderr: Object.assign(new PassThrough(), { isTTY: false }),
        stdin: Readable.from([]),
      },
    });
    expect(result).toBe(2);
  });

  it('issues a token once, lists it without the secret, rotates and revokes it', async () => {
    const issued = await cli(['tokens', 'issue', '--name', 'okta', '--json']);
    expect(issued.code).toBe(0);
    const { token, secret } = JSON.parse(issued.out);
    expect(secret).toMatch(/\S{20,}/);
    const list = await cli(['tokens', 'list']);
    expect(list.out).toContain('okta');
    expect(list.out).toContain(token.id);
    expect(list.out).not.toContain(secret);
    const rotated = await cli(['tokens', 'rotate', token.id, '--grace', '15m']);
    expect(rotated.code).toBe(0);
    expect(rotated.out).toMatch(/stops working at \d{4}-/);
    const revoked = await cli(['tokens', 'revoke', token.id]);
    expect(revoked.out).toMatch(/revoked/);
    const unknown = await cli(['tokens', 'revoke', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no token 'nope'/);
  });

  it('sets roles, maps groups and shows them', async () => {
    expect((await cli(['roles', 'set', '--roles', 'admin,member', '--default', 'member'])).code).toBe(0);
    expect((await cli(['roles', 'map', 'Admins', 'admin'])).code).toBe(0);
    const shown = await cli(['roles', 'show']);
    expect(shown.out).toContain('admin > member');
    expect(shown.out).toMatch(/displayName\s+Admins\s+admin/);
    const bad = await cli(['roles', 'map', 'Ops', 'owner']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/'owner' is not one of the tenant's roles/);
    expect((await cli(['roles', 'map', 'Ops', 'admin', '--match', 'email'])).code).toBe(2);
  });

  it('shows the tenant and queries the audit log', async () => {
    await cli(['tokens', 'issue', '--name', 'entra']);
    const shown = await cli(['tenants', 'show']);
    expect(shown.out).toContain('SCIM base URL:   http://localhost:8080/scim/v2');
    expect(shown.out).toContain('Last sync:       never');
    const audit = await cli(['audit', '--type', 'admin.token.*']);
    expect(audit.out).toMatch(/admin\.token\.issued/);
    const none = await cli(['audit', '--type', 'scim.user.*']);
    expect(none.out).toContain('No events match.');
    const bad = await cli(['audit', '--since', 'last week']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/ISO 8601/);
  });

  it('exports to JSON lines, imports under another id, and migrates with verification', async () => {
    await cli(['tokens', 'issue', '--name', 'okta']);
    const exported = await cli(['export']);
    expect(exported.code).toBe(0);
    const lines = exported.out.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ kind: 'tenant', tenant: { id: 'acme' } });
    const imported = await cli(['import', '--as', 'acme-copy', '--json'], exported.out);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out)).toMatchObject({ tenantId: 'acme-copy', counts: { credentials: 0 } });
    const broken = await cli(['import'], '{"kind":"tenant"\n');
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/line 1 of the import is not valid JSON/);

    const migrated = await cli(['migrate', '--to', 'sqlite:/virtual/other.sqlite']);
    expect(migrated.code).toBe(0);
    expect(migrated.out).toContain('Verified: every count matches.');
    expect(migrated.err).toMatch(/verify/);
    const again = await cli(['migrate', '--to', 'sqlite:/virtual/other.sqlite', '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ verified: true, written: 0 });
  });

  it('reports files it cannot read or write and stores it cannot reach, with exit code 1 and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-cli-'));
    try {
      const missing = await cli(['import', '--in', join(dir, 'missing.jsonl')]);
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/^scim-admin: ENOENT: no such file or directory, open '.*missing\.jsonl'/);
      expect(missing.err).not.toMatch(/\n\s+at /);

      const unwritable = await cli(['export', '--out', join(dir, 'no-such-dir', 'out.jsonl')]);
      expect(unwritable.code).toBe(1);
      expect(unwritable.err).toMatch(/^scim-admin: ENOENT: .*out\.jsonl/);

      const unreachable = await cli(['migrate', '--to', 'mongodb://unreachable:27017/scim']);
      expect(unreachable.code).toBe(1);
      expect(unreachable.err).toMatch(
        /^scim-admin: cannot open the target store mongodb:\/\/unreachable:27017\/scim: connect ECONNREFUSED/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to create a new SQLite database: the admin is in the wrong directory or lacks SCIM_SQLITE_PATH', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-cli-'));
    try {
      const path = join(dir, 'data', 'scim.sqlite');
      const stderr = new PassThrough();
      let err = '';
      stderr.on('data', (c: Buffer) => {
        err += c.toString();
      });
      const code = await runCli(['tokens', 'issue', '--name', 'okta'], {
        env: { SCIM_SQLITE_PATH: path },
        io: { stdout: new PassThrough(), stderr, stdin: Readable.from([]) },
        signal: new AbortController().signal,
      });
      expect(code).toBe(1);
      expect(err).toContain(`there is no database at ${path}`);
      expect(err).toContain('SCIM_SQLITE_PATH');
      expect(existsSync(path)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
