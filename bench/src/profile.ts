/**
 * `pnpm --filter @scim/bench profile`: profiles the reference server under one workload. Seeds a
 * population (or reuses `--dir` from an earlier profile run), starts the server with `--cpu-prof`,
 * drives the workload with the same load generator as `pnpm bench`, stops the server and prints the
 * functions with the most self time (and the files with the most self time), so a hot path shows
 * without opening a flame graph. The .cpuprofile stays in the directory for Chrome DevTools.
 *
 * Options: --workload W1|W2|W3|W4|W6|W7 (default W2; W6 reports users per second)  --users 10k  --duration 10  --dir <kept dir>
 *          --group-size 100 (W4)  --bulk-users 20k (W6)  --top 40
 *          --no-prof (no profiler: only req/s and the server's CPU time per request, for A/B runs)
 *          --raw (profile the raw baseline instead, to compare CPU per request on the same data)
 *          --layer reference|listener|constant (default reference: the whole reference server;
 *            listener: the SCIM handler on node:http without the reference server's glue; constant:
 *            node:http answering a fixed body, what HTTP and the load generator cost; see layer-server.ts)
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { argValue, parseSize } from './args.ts';
import type { LoadJob, LoadResult } from './load.ts';
import {
  cpuSplitMicros,
  freePort,
  referenceServerFlags,
  rssMb,
  runJson,
  startNode,
  stop,
  waitUntilUp,
} from './processes.ts';
import { seed, type SeedResult } from './seed.ts';
import { bulkImport } from './sequential.ts';

const root = resolve(import.meta.dirname, '..', '..');
const workload = argValue('--workload', 'W2').toUpperCase();
const users = parseSize(argValue('--users', '10k'));
const durationSeconds = Number(argValue('--duration', '10'));
const groupSize = parseSize(argValue('--group-size', '100'));
const top = Number(argValue('--top', '40'));
const reuse = argValue('--dir', '');
const noProf = process.argv.includes('--no-prof');
const raw = process.argv.includes('--raw');
const layer = argValue('--layer', 'reference');
if (!['reference', 'listener', 'constant'].includes(layer)) {
  throw new Error('--layer must be reference, listener or constant');
}
const token = 'profile-token-for-local-benchmarks-only-0123456789';

function startScim(dir: string, port: number, profileDir?: string, which = layer) {
  const args = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  if (which !== 'reference') {
    // The same node flags as the reference server, so only the layers differ.
    return startNode(
      [
        ...referenceServerFlags(),
        ...args,
        join(import.meta.dirname, 'layer-server.ts'),
        '--layer',
        which,
        '--db',
        join(dir, 'scim.sqlite'),
        '--port',
        String(port),
      ],
      {},
      (chunk) => process.stderr.write(chunk),
    );
  }
  return startNode(
    [...referenceServerFlags(), ...args, join(root, 'apps/reference-server/src/main.ts')],
    {
      PORT: String(port),
      SCIM_STORE: 'sqlite',
      SCIM_SQLITE_PATH: join(dir, 'scim.sqlite'),
      SCIM_BOOTSTRAP_TOKEN: token,
      SCIM_RATE_LIMIT: '1000000000',
      LOG_LEVEL: 'warn',
    },
    (chunk) => process.stderr.write(chunk),
  );
}

function startRaw(dir: string, port: number, profileDir?: string) {
  const args = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  return startNode(
    [
      ...args,
      join(import.meta.dirname, 'raw-server.ts'),
      '--db',
      join(dir, 'raw.sqlite'),
      '--port',
      String(port),
    ],
    {},
    (chunk) => process.stderr.write(chunk),
  );
}

let dir: string;
let seeded: SeedResult;
if (reuse && existsSync(join(reuse, 'seed.json'))) {
  dir = reuse;
  seeded = JSON.parse(readFileSync(join(dir, 'seed.json'), 'utf8')) as SeedResult;
} else {
  dir = reuse || mkdtempSync(join(tmpdir(), `scim-profile-${users}-`));
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const first = startScim(dir, port, undefined, 'reference'); // creates the database and the token
  await waitUntilUp(`http://127.0.0.1:${port}/healthz`);
  await stop(first);
  seeded = await seed(dir, users, [groupSize]);
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(seeded));
}
process.stderr.write(`data in ${dir}\n`);

const profileDir = join(
  dir,
  `profile-${raw ? 'raw-' : layer === 'reference' ? '' : `${layer}-`}${workload}-${Date.now()}`,
);
const port = await freePort();
const scim = (raw ? startRaw : startScim)(dir, port, noProf ? undefined : profileDir);
await waitUntilUp(`http://127.0.0.1:${port}${raw ? '/raw' : ''}/healthz`);
const rssIdle = scim.pid ? rssMb(scim.pid) : undefined;
const cpuBefore = scim.pid ? cpuSplitMicros(scim.pid) : undefined;
const kinds: Record<string, LoadJob['kind']> = {
  W1: 'lookup-userName',
  W2: 'get-id',
  W3: 'create-user',
  W4: 'add-member',
  W7: 'patch-user',
};
let result: LoadResult;
if (workload === 'W6') {
  const bulkUsers = parseSize(argValue('--bulk-users', '20k'));
  if (raw) throw new Error('--raw has no /Bulk: profile W6 against the reference server only');
  const seconds = await bulkImport(
    { url: `http://127.0.0.1:${port}`, prefix: '/scim/v2', token },
    bulkUsers,
    1000,
  );
  result = {
    requestsPerSecond: bulkUsers / seconds,
    latencyP50Ms: 0,
    latencyP99Ms: 0,
    total: bulkUsers,
    non2xx: 0,
    errors: 0,
  };
} else {
  const kind = kinds[workload];
  if (!kind) throw new Error(`--workload must be one of W6, ${Object.keys(kinds).join(', ')}`);
  const job: LoadJob = {
    url: `http://127.0.0.1:${port}`,
    prefix: raw ? '/raw' : '/scim/v2',
    ...(raw ? {} : { token }),
    kind,
    keysFile:
      kind === 'lookup-userName' ? seeded.files.userNames : raw ? seeded.files.rawIds : seeded.files.scimIds,
    ...(kind === 'add-member' ? { groupId: (raw ? seeded.groups.raw : seeded.groups.scim)[groupSize] } : {}),
    connections: 10,
    durationSeconds,
  };
  result = await runJson<LoadResult>([join(import.meta.dirname, 'load.ts'), JSON.stringify(job)]);
}
const rssLoaded = scim.pid ? rssMb(scim.pid) : undefined;
const cpuAfter = scim.pid ? cpuSplitMicros(scim.pid) : undefined;
await stop(scim);
const perRequest = (before: number, after: number) => ((after - before) / result.total).toFixed(1);
const cpuPerRequest =
  cpuBefore !== undefined && cpuAfter !== undefined && result.total > 0
    ? `${perRequest(cpuBefore.user + cpuBefore.system, cpuAfter.user + cpuAfter.system)} us CPU per request (user ${perRequest(cpuBefore.user, cpuAfter.user)}, system ${perRequest(cpuBefore.system, cpuAfter.system)})`
    : 'CPU per request unknown';
process.stderr.write(
  `${workload}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.latencyP99Ms} ms, ${result.non2xx} non-2xx, ${cpuPerRequest}; RSS idle ${rssIdle} MB, loaded ${rssLoaded} MB\n`,
);
if (noProf) process.exit(0);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error(`no .cpuprofile in ${profileDir}`);
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]!);
  const delta = profile.timeDeltas[i] ?? 0;
  if (!node) continue;
  total += delta;
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^file:\/\//, '').replace(`${root}/`, '');
  const fn = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + delta);
  const fileKey = short || `(${functionName})`;
  selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + delta);
}
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}\n`);
  }
};
print('self time by function', selfByFunction);
print('self time by file', selfByFile);
process.stdout.write(`\nprofile: ${join(profileDir, file)}\n`);
