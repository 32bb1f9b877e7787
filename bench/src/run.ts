/**
 * `pnpm bench`: starts the raw baseline and the reference server (SQLite) side by side, seeds them
 * with the same population, drives load from a separate process with autocannon over loopback
 * (fixed connections and duration, several runs, medians), and prints a table. Results are written
 * to bench/results/<time>.json; `pnpm --filter @scim/bench report` turns them into docs/benchmarks.md.
 *
 * Options: --sizes 10k,100k,1m (default 10k)   --workloads W1,W2,W3,W4,W5,W6,W7 (default all)
 *          --duration 10 (seconds per run)     --runs 3     --connections 10   --keep (keep the data)
 *          --group-sizes 100,10k,100k (W4)     --bulk-users 100k (W6)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ChildProcess, execFileSync } from 'node:child_process';
import { argValue, parseSize } from './args.ts';
import { freePort, referenceServerFlags, rssMb, runJson, startNode, stop, waitUntilUp } from './processes.ts';
import { seed, type SeedResult } from './seed.ts';
import type { LoadJob, LoadResult } from './load.ts';
import { pageThrough, bulkImport } from './sequential.ts';

const root = resolve(import.meta.dirname, '..', '..');
const here = import.meta.dirname;
const sizes = argValue('--sizes', '10k').split(',').map(parseSize);
const workloads = new Set(argValue('--workloads', 'W1,W2,W3,W4,W5,W6,W7').toUpperCase().split(','));
const durationSeconds = Number(argValue('--duration', '10'));
const runs = Number(argValue('--runs', '3'));
/** Length of the uncounted run of each server before a workload's measured runs. */
const WARM_UP_SECONDS = 2;
const connections = Number(argValue('--connections', '10'));
const keep = process.argv.includes('--keep');
const groupSizes = argValue('--group-sizes', '100,10k,100k').split(',').map(parseSize);
const bulkUsers = parseSize(argValue('--bulk-users', '100k'));
const token = `bench-${Date.now().toString(36)}-token-for-local-benchmarks-only`;

/** One row of the results table. */
export interface Row {
  workload: string;
  users: number;
  variant?: string;
  raw?: number;
  scim: number;
  unit: 'req/s' | 's';
  ratio?: number;
  p99Ms?: number;
  rawRuns?: number[];
  scimRuns?: number[];
  /** Said beside the figures, e.g. when a timed run stopped early. */
  note?: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

function startScim(dir: string, port: number): ChildProcess {
  const tail: string[] = [];
  const child = startNode(
    [...referenceServerFlags(), join(root, 'apps/reference-server/src/main.ts')],
    {
      PORT: String(port),
      SCIM_STORE: 'sqlite',
      SCIM_SQLITE_PATH: join(dir, 'scim.sqlite'),
      SCIM_BOOTSTRAP_TOKEN: token,
      // Rate limiting stays on (every request is counted) with a limit the benchmark cannot reach.
      SCIM_RATE_LIMIT: '1000000000',
      LOG_LEVEL: 'warn',
    },
    (chunk) => {
      tail.push(chunk);
      if (tail.length > 50) tail.shift();
    },
  );
  child.once('exit', (code) => {
    if (code) log(`reference server exited with ${code}:\n${tail.join('')}`);
  });
  return child;
}

async function measure(
  job: Omit<LoadJob, 'connections' | 'durationSeconds'>,
  seconds = durationSeconds,
): Promise<LoadResult> {
  const result = await runJson<LoadResult>([
    join(here, 'load.ts'),
    JSON.stringify({ ...job, connections, durationSeconds: seconds }),
  ]);
  if (result.non2xx > 0 || result.errors > 0) {
    log(
      `  warning: ${job.kind} on ${job.prefix}: ${result.non2xx} non-2xx, ${result.errors} errors of ${result.total}`,
    );
  }
  return result;
}

async function sideBySide(
  workload: string,
  users: number,
  variant: string | undefined,
  make: (target: 'raw' | 'scim') => Omit<LoadJob, 'connections' | 'durationSeconds'>,
): Promise<Row> {
  const rawRuns: number[] = [];
  const scimRuns: number[] = [];
  const p99: number[] = [];
  // One short run of each, not counted: both servers' code is compiled by the JIT and their pages
  // are cached before anything is measured.
  await measure(make('raw'), WARM_UP_SECONDS);
  await measure(make('scim'), WARM_UP_SECONDS);
  // Interleave the targets so that drift on a shared machine hits both alike.
  for (let run = 0; run < runs; run++) {
    rawRuns.push((await measure(make('raw'))).requestsPerSecond);
    const scim = await measure(make('scim'));
    scimRuns.push(scim.requestsPerSecond);
    p99.push(scim.latencyP99Ms);
  }
  const raw = median(rawRuns);
  const scim = median(scimRuns);
  const row: Row = {
    workload,
    users,
    variant,
    raw,
    scim,
    unit: 'req/s',
    ratio: scim / raw,
    p99Ms: median(p99),
    rawRuns,
    scimRuns,
  };
  log(
    `  ${workload}${variant ? ` ${variant}` : ''} @${users}: raw ${raw.toFixed(0)} req/s, scim ${scim.toFixed(0)} req/s (${(100 * row.ratio!).toFixed(0)}%)`,
  );
  return row;
}

async function benchSize(users: number): Promise<{ rows: Row[]; rssMb?: number; seed: SeedResult }> {
  const dir = mkdtempSync(join(tmpdir(), `scim-bench-${users}-`));
  const rows: Row[] = [];
  let scim: ChildProcess | undefined;
  let raw: ChildProcess | undefined;
  try {
    // The first start creates the default tenant with the bootstrap token; then the store is seeded.
    let port = await freePort();
    scim = startScim(dir, port);
    await waitUntilUp(`http://127.0.0.1:${port}/healthz`);
    await stop(scim);
    log(`seeding ${users} users in ${dir}`);
    const seeded = await seed(dir, users, groupSizes);
    // Write the seeded files out now: the kernel flushing a gigabyte of dirty pages in the
    // background during the first measured runs made them the slowest of the whole bench.
    execFileSync('sync');
    log(
      `  seeded in ${seeded.seconds.raw.toFixed(1)} s (raw) and ${seeded.seconds.scim.toFixed(1)} s (scim store)`,
    );

    port = await freePort();
    scim = startScim(dir, port);
    const rawPort = await freePort();
    raw = startNode(
      [join(here, 'raw-server.ts'), '--db', join(dir, 'raw.sqlite'), '--port', String(rawPort)],
      {},
      () => {},
    );
    await waitUntilUp(`http://127.0.0.1:${port}/healthz`);
    await waitUntilUp(`http://127.0.0.1:${rawPort}/raw/healthz`);
    const target = (t: 'raw' | 'scim') =>
      t === 'raw'
        ? { url: `http://127.0.0.1:${rawPort}`, prefix: '/raw' }
        : { url: `http://127.0.0.1:${port}`, prefix: '/scim/v2', token };

    if (workloads.has('W1'))
      rows.push(
        await sideBySide('W1', users, 'GET /Users?filter=userName eq', (t) => ({
          ...target(t),
          kind: 'lookup-userName',
          keysFile: seeded.files.userNames,
        })),
      );
    if (workloads.has('W2'))
      rows.push(
        await sideBySide('W2', users, 'GET /Users/{id}', (t) => ({
          ...target(t),
          kind: 'get-id',
          keysFile: t === 'raw' ? seeded.files.rawIds : seeded.files.scimIds,
        })),
      );
    // W5 runs before any write: both servers then page exactly the seeded population. After W3 the
    // raw baseline (faster) had created more users than the SCIM server, and after W4 every user W4
    // put in a group came back with its groups, so W5 depended on how fast the writes before it ran.
    if (workloads.has('W5')) {
      for (const mode of ['index', 'cursor'] as const) {
        const raw = await pageThrough(target('raw'), mode, 1000);
        const scim = await pageThrough(target('scim'), mode, 1000);
        // Compare throughput (users per second), which stays meaningful when a run stopped early.
        const rate = (r: { seconds: number; covered: number }) => r.covered / r.seconds;
        rows.push({
          workload: 'W5',
          users,
          variant: `page all users by ${mode}, 1000/page`,
          raw: raw.seconds,
          scim: scim.seconds,
          unit: 's',
          ratio: rate(scim) / rate(raw),
          ...(raw.covered < 1 || scim.covered < 1
            ? {
                note: `stopped at the time limit: raw reached ${(raw.covered * 100).toFixed(0)}%, SCIM ${(scim.covered * 100).toFixed(0)}% of users`,
              }
            : {}),
        });
        log(
          `  W5 ${mode} @${users}: raw ${raw.seconds.toFixed(2)} s (${(raw.covered * 100).toFixed(0)}%), scim ${scim.seconds.toFixed(2)} s (${(scim.covered * 100).toFixed(0)}%)`,
        );
      }
    }
    if (workloads.has('W3'))
      rows.push(
        await sideBySide('W3', users, 'POST /Users (Okta body)', (t) => ({
          ...target(t),
          kind: 'create-user',
        })),
      );
    if (workloads.has('W4')) {
      for (const size of groupSizes) {
        rows.push(
          await sideBySide('W4', users, `PATCH add 1 member, group of ${size}`, (t) => ({
            ...target(t),
            kind: 'add-member',
            groupId: seeded.groups[t][size],
            keysFile: t === 'raw' ? seeded.files.rawIds : seeded.files.scimIds,
          })),
        );
      }
    }
    if (workloads.has('W7'))
      rows.push(
        await sideBySide('W7', users, 'PATCH storm (Entra replace)', (t) => ({
          ...target(t),
          kind: 'patch-user',
          keysFile: t === 'raw' ? seeded.files.rawIds : seeded.files.scimIds,
        })),
      );
    if (workloads.has('W6')) {
      const seconds = await bulkImport(target('scim'), bulkUsers, 1000);
      rows.push({
        workload: 'W6',
        users,
        variant: `import ${bulkUsers} users via /Bulk, 1000 ops/request`,
        scim: seconds,
        unit: 's',
      });
      log(`  W6 @${users}: ${seconds.toFixed(1)} s`);
    }
    const rss = scim.pid ? rssMb(scim.pid) : undefined;
    log(`  reference server RSS: ${rss} MB`);
    return { rows, rssMb: rss, seed: seeded };
  } finally {
    if (raw) await stop(raw);
    if (scim) await stop(scim);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const users of sizes) results.push({ users, ...(await benchSize(users)) });

const rows = results.flatMap((r) => r.rows);
const pad = (text: string, n: number) => text.padEnd(n);
console.log(
  `\n${pad('workload', 48)}${pad('users', 9)}${pad('raw', 12)}${pad('scim', 12)}${pad('ratio', 8)}p99 ms`,
);
for (const row of rows) {
  const fmt = (v?: number) => (v === undefined ? '-' : row.unit === 's' ? `${v.toFixed(2)} s` : v.toFixed(0));
  console.log(
    `${pad(`${row.workload} ${row.variant ?? ''}`, 48)}${pad(String(row.users), 9)}${pad(fmt(row.raw), 12)}${pad(fmt(row.scim), 12)}${pad(row.ratio === undefined ? '-' : `${(row.ratio * 100).toFixed(0)}%`, 8)}${row.p99Ms ?? '-'}`,
  );
}
for (const r of results) console.log(`reference server RSS at ${r.users} users: ${r.rssMb ?? '?'} MB`);

const outDir = join(here, '..', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, durationSeconds, runs, connections, results: results.map(({ seed: s, ...rest }) => ({ ...rest, seedSeconds: s.seconds })) }, null, 2)}\n`,
);
console.log(`\nresults: ${file}`);
