import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx, for at most `timeoutMs`. */
export async function waitUntilUp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * Runs workspace TypeScript sources directly: the reference server's loader hook adds the
 * `@scim/source` condition and maps the packages' NodeNext `./x.js` imports to `./x.ts`.
 */
const SOURCE_ARGS = [
  '--conditions=@scim/source',
  '--import',
  new URL('../../apps/reference-server/src/runtime/source-hooks.ts', import.meta.url).href,
];

/**
 * The V8 flags of the reference server's `pnpm start` script (e.g. `--max-semi-space-size=16`),
 * so the benchmarks run the server the way it runs in production.
 */
export function referenceServerFlags(): string[] {
  const manifest = JSON.parse(
    readFileSync(new URL('../../apps/reference-server/package.json', import.meta.url), 'utf8'),
  ) as { scripts?: { start?: string } };
  return (manifest.scripts?.start ?? '')
    .split(/\s+/)
    .filter((token) => token.startsWith('--') && !token.startsWith('--conditions'));
}

/** Starts a Node process on workspace sources; its output goes to `log`. */
export function startNode(
  args: string[],
  env: Record<string, string>,
  log: (line: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, [...SOURCE_ARGS, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => log(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => log(chunk));
  return child;
}

/** Stops a child process and waits for it to exit (SIGKILL after 10 s). */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resident set size of a process in MB, from /proc. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU time a process has used so far, user and system (kernel) apart, in microseconds, from /proc
 * (clock-tick resolution). The difference over a load run divided by its requests is the server's
 * cost per request, which a busy machine distorts far less than requests per second.
 */
export function cpuSplitMicros(pid: number): { user: number; system: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: (Number(fields[11]) * 1e6) / 100, system: (Number(fields[12]) * 1e6) / 100 };
  } catch {
    return undefined;
  }
}

/** Runs a Node script to completion and returns its last stdout line parsed as JSON. */
export function runJson<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@scim/source', ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited with ${code}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${args.join(' ')} printed no JSON result: ${out.slice(-500)}`));
      }
    });
  });
}
