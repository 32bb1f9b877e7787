#!/usr/bin/env node
// Checks every published @scim/* package as its users will get it:
//  1. publint --strict on the built package,
//  2. @arethetypeswrong/cli on the packed tarball (ESM-only profile),
//  3. a smoke test: pack every package, install the tarballs (plus the peer drivers) into a
//     temporary project OUTSIDE the workspace, and import every entry point with plain Node.
// Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const packages = readdirSync(packagesDir)
  .map((dir) => ({
    dir: join(packagesDir, dir),
    manifest: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')),
  }))
  .filter(({ manifest }) => !manifest.private);

const bin = (name) => join(root, 'node_modules', '.bin', name);
// Every step has a time limit, so a registry that stops answering fails the check instead of hanging CI.
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, {
    cwd,
    stdio: 'inherit',
    timeout: 300_000,
    env: { ...process.env, FORCE_COLOR: '0' },
  });

const tarballDir = mkdtempSync(join(tmpdir(), 'scim-pack-'));
const failures = [];
try {
  const tarballs = {};
  for (const { dir, manifest } of packages) {
    console.log(`\n--- ${manifest.name}`);
    try {
      run(bin('publint'), ['--strict'], dir);
    } catch {
      failures.push(`${manifest.name}: publint`);
    }
    const out = execFileSync('pnpm', ['pack', '--pack-destination', tarballDir], {
      cwd: dir,
      encoding: 'utf8',
    });
    const tarball = out.trim().split('\n').pop().trim();
    tarballs[manifest.name] = tarball.startsWith('/') ? tarball : join(tarballDir, tarball);
    try {
      run(bin('attw'), [tarballs[manifest.name], '--profile', 'esm-only', '--format', 'table-flipped'], dir);
    } catch {
      failures.push(`${manifest.name}: are-the-types-wrong`);
    }
  }

  // The smoke test project lives outside the workspace so nothing resolves through it.
  const project = mkdtempSync(join(tmpdir(), 'scim-smoke-'));
  const peers = {};
  for (const { manifest } of packages) {
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      // Install the version the workspace tests with, which satisfies the declared range.
      const devVersion = manifest.devDependencies?.[name];
      peers[name] = devVersion && !devVersion.startsWith('workspace:') ? devVersion : range;
    }
  }
  const dependencies = { ...peers };
  for (const [name, tarball] of Object.entries(tarballs)) dependencies[name] = `file:${tarball}`;
  writeFileSync(
    join(project, 'package.json'),
    // better-sqlite3's install script places its native binary; nothing else may run scripts.
    JSON.stringify(
      {
        name: 'scim-smoke',
        private: true,
        type: 'module',
        dependencies,
        allowScripts: { 'better-sqlite3': true },
      },
      null,
      2,
    ),
  );
  console.log(`\n--- smoke test in ${project}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'], project);

  const entryPoints = [];
  for (const { manifest } of packages) {
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (subpath.endsWith('package.json') || typeof target !== 'object') continue;
      entryPoints.push(subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`);
    }
  }
  const script = entryPoints
    .map(
      (id) =>
        `{ const m = await import(${JSON.stringify(id)}); const n = Object.keys(m).length; if (n === 0) throw new Error(${JSON.stringify(id)} + ' exports nothing'); console.log('imported', ${JSON.stringify(id)}, n, 'exports'); }`,
    )
    .join('\n');
  // Beyond importing: the built bundles must work together, native driver included.
  const use = `
import { parseFilter, applyPatch, toScimResource } from '@scim/core';
import { createSqliteStore } from '@scim/store-sqlite';
const store = createSqliteStore({ database: ':memory:' });
await store.createTenant({ id: 't1', name: 'Smoke', createdAt: new Date().toISOString() });
const now = new Date().toISOString();
const data = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'Smoke@Example.com', active: true };
await store.transaction('t1', (tx) => tx.create({ resourceType: 'User', id: 'u1', now, data }));
const found = await store.queryResources('t1', { resourceType: 'User', count: 10, filter: parseFilter('userName eq "smoke@example.com"', { resourceType: 'User' }) });
if (found.totalResults !== 1) throw new Error('smoke: filter query found ' + found.totalResults);
const patched = applyPatch(toScimResource(found.resources[0], { baseUrl: 'http://x' }), { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
if (patched.resource.active !== false) throw new Error('smoke: PATCH did not apply');
await store.close();
console.log('store, filter and PATCH work from the packed tarballs');
`;
  writeFileSync(join(project, 'smoke.mjs'), `${script}\n${use}`);
  try {
    run(process.execPath, ['smoke.mjs'], project);
  } catch {
    failures.push('smoke test: importing the installed tarballs failed');
  }
  rmSync(project, { recursive: true, force: true });
} finally {
  rmSync(tarballDir, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\nPackage checks failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log(`\nPackage checks passed for ${packages.length} packages.`);
