/**
 * Crash safety: the reference server on SQLite is killed with SIGKILL in the middle of a bulk
 * import, then restarted on the same file. Every acknowledged write is there, nothing is
 * half-written, `PRAGMA integrity_check` passes, and every committed resource has exactly one
 * journal event (the journal is written in the same transaction as the change).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const TOKEN = 'crash-safety-bootstrap-token-0123456789';
const BULKS = 6;
const OPS_PER_BULK = 150;

const workDir = mkdtempSync(join(tmpdir(), 'scim-crash-'));
const databasePath = join(workDir, 'scim.sqlite');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

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
 * Starts `src/main.ts` on the shared SQLite file and resolves once it listens (bounded poll). Port 0:
 * the OS picks a free port as the server listens (a port probed beforehand could be taken by another
 * process first), and the server logs it.
 */
async function startServer(): Promise<{
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<unknown>;
}> {
  let output = '';
  const child = spawn(process.execPath, ['--conditions=@scim/source', 'src/main.ts'], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      INIT_CWD: workDir,
      SCIM_SQLITE_PATH: databasePath,
      SCIM_BOOTSTRAP_TOKEN: TOKEN,
      SCIM_RATE_LIMIT: 'off',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  let port: number | undefined;
  for (let attempt = 0; attempt < 3000 && port === undefined; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`server exited during start:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not listen within 30 s:\n${output}`);
    port = listeningPort(output);
    if (port === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const base = `http://127.0.0.1:${port}/scim/v2`;
  for (let attempt = 0; attempt < 3000; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`server exited during start:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start within 30 s:\n${output}`);
    const ready = await fetch(`${base}/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      signal: AbortSignal.timeout(1000),
    }).catch(() => undefined);
    if (ready?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, base, output: () => output, exited };
}

/** The body of user `n`: every attribute is derived from `n`, so a half-written row is detectable. */
function user(n: number): Record<string, unknown> {
  return {
    schemas: [USER, ENTERPRISE],
    userName: `crash-${n}@example.com`,
    externalId: `ext-${n}`,
    displayName: `Crash ${n}`,
    name: { givenName: `Given${n}`, familyName: `Family${n}` },
    emails: [{ value: `crash-${n}@example.com`, type: 'work', primary: true }],
    [ENTERPRISE]: { employeeNumber: String(n), department: `dept-${n % 7}` },
  };
}

function expectComplete(resource: Record<string, any>, n: number): void {
  expect(resource.userName).toBe(`crash-${n}@example.com`);
  expect(resource.externalId).toBe(`ext-${n}`);
  expect(resource.displayName).toBe(`Crash ${n}`);
  expect(resource.name).toMatchObject({ givenName: `Given${n}`, familyName: `Family${n}` });
  expect(resource.emails).toMatchObject([{ value: `crash-${n}@example.com`, type: 'work', primary: true }]);
  expect(resource[ENTERPRISE]).toMatchObject({ employeeNumber: String(n), department: `dept-${n % 7}` });
}

describe('SIGKILL in the middle of a bulk import', () => {
  it('keeps every acknowledged write, nothing half-written, an intact database and one journal event per write', async () => {
    const first = await startServer();
    const acknowledged = new Map<number, string>(); // n -> id
    const sent = new Set<number>();

    // Several bulk imports in flight at once, plus single POSTs, so the kill lands mid-transaction.
    const bulk = async (index: number): Promise<void> => {
      const numbers = Array.from({ length: OPS_PER_BULK }, (_, op) => index * OPS_PER_BULK + op);
      for (const n of numbers) sent.add(n);
      const reply = await fetch(`${first.base}/Bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({
          schemas: [BULK],
          Operations: numbers.map((n) => ({
            method: 'POST',
            path: '/Users',
            bulkId: `u${n}`,
            data: user(n),
          })),
        }),
        signal: AbortSignal.timeout(60_000),
      });
      const body = (await reply.json()) as {
        Operations: { bulkId: string; status: string; location?: string }[];
      };
      for (const op of body.Operations) {
        if (op.status === '201' && op.location !== undefined)
          acknowledged.set(Number(op.bulkId.slice(1)), op.location.split('/').pop() as string);
      }
    };
    const single = async (n: number): Promise<void> => {
      sent.add(n);
      const reply = await fetch(`${first.base}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify(user(n)),
        signal: AbortSignal.timeout(60_000),
      });
      if (reply.status === 201) acknowledged.set(n, ((await reply.json()) as { id: string }).id);
    };

    // The first bulk completes before the kill, so some acknowledged writes certainly exist.
    await bulk(0);
    expect(acknowledged.size).toBe(OPS_PER_BULK);

    // The rest of the import: two lanes of bulks, one bulk after another in each, so two bulks are
    // in flight at any time and most of the import is still ahead when the kill comes. Beside them,
    // two clients create users one at a time until the kill: the store serves waiting transactions
    // in order, so their writes are acknowledged between the bulk batches, during the import.
    let killed = false;
    let nextSingle = 100_000;
    const lane = async (indexes: number[]): Promise<void> => {
      for (const index of indexes) if (!killed) await bulk(index);
    };
    const singles = async (): Promise<void> => {
      while (!killed) await single(nextSingle++);
    };
    const laneIndexes = Array.from({ length: BULKS - 1 }, (_, index) => index + 1);
    const inFlight = [
      lane(laneIndexes.filter((index) => index % 2 === 1)).catch(() => undefined),
      lane(laneIndexes.filter((index) => index % 2 === 0)).catch(() => undefined),
      singles().catch(() => undefined),
      singles().catch(() => undefined),
    ];

    // Kill once the database holds more than the first bulk and a second bulk's worth, and at least
    // one write made during the import has been acknowledged (a bounded poll on both, not a delay).
    const reader = new DatabaseSync(databasePath, { readOnly: true });
    let rows = 0;
    const deadline = Date.now() + 60_000;
    for (let attempt = 0; attempt < 1_000_000 && Date.now() < deadline; attempt += 1) {
      rows = Number(
        (
          reader.prepare("SELECT count(*) AS n FROM resources WHERE resource_type = 'User'").get() as {
            n: number;
          }
        ).n,
      );
      if (rows > 2 * OPS_PER_BULK && acknowledged.size > OPS_PER_BULK) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    reader.close();
    killed = true;
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(inFlight);
    expect(rows).toBeGreaterThan(2 * OPS_PER_BULK);
    // Writes were acknowledged while the import ran, not only before it.
    expect(acknowledged.size).toBeGreaterThan(OPS_PER_BULK);

    // After the crash, before any restart: the file is consistent (WAL recovery on open).
    const recovered = new DatabaseSync(databasePath);
    expect(
      (recovered.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check,
    ).toBe('ok');
    expect(recovered.prepare('PRAGMA foreign_key_check').all()).toHaveLength(0);
    const stored = recovered
      .prepare(
        "SELECT id, data FROM resources WHERE resource_type = 'User' AND tenant_id = (SELECT id FROM tenants LIMIT 1)",
      )
      .all() as { id: string; data: string }[];
    const journal = recovered.prepare('SELECT id, type, resource_id FROM journal').all() as {
      id: string;
      type: string;
      resource_id: string | null;
    }[];
    recovered.close();

    // Nothing half-written: every stored user is complete, and is one the client sent.
    const storedByNumber = new Map<number, string>();
    for (const row of stored) {
      const data = JSON.parse(row.data) as Record<string, any>;
      const n = Number(/^crash-(\d+)@/.exec(String(data.userName))?.[1]);
      expect(sent.has(n), `unexpected user ${String(data.userName)}`).toBe(true);
      expectComplete(data, n);
      expect(storedByNumber.has(n), `user ${n} stored twice`).toBe(false);
      storedByNumber.set(n, row.id);
    }

    // The kill landed mid-import: some bulk had not committed all its operations.
    const bulkUsers = [...storedByNumber.keys()].filter((n) => n < BULKS * OPS_PER_BULK).length;
    expect(bulkUsers, 'the kill came too late to be mid-import').toBeLessThan(BULKS * OPS_PER_BULK);

    if (process.env.SCIM_CRASH_VERBOSE)
      console.log(
        JSON.stringify({
          rowsAtKill: rows,
          acknowledged: acknowledged.size,
          stored: storedByNumber.size,
          journal: journal.length,
        }),
      );
    // Every acknowledged write survived, under the id the client was given.
    for (const [n, id] of acknowledged) expect(storedByNumber.get(n), `acknowledged user ${n}`).toBe(id);

    // Bulk operations run in order, each in its own transaction: what an interrupted bulk left is a
    // prefix of its operations (committed ones kept, none after a missing one).
    for (let index = 1; index < BULKS; index += 1) {
      let missingSeen = false;
      for (let op = 0; op < OPS_PER_BULK; op += 1) {
        const present = storedByNumber.has(index * OPS_PER_BULK + op);
        if (!present) missingSeen = true;
        else expect(missingSeen, `bulk ${index} op ${op} committed after a missing op`).toBe(false);
      }
    }

    // The journal: exactly one user.provisioned per committed user, none for anything not committed,
    // no duplicate ids. (At-least-once delivery starts from here: sinks read this table.)
    const provisioned = journal.filter((event) => event.type === 'scim.user.provisioned');
    const storedIds = new Set(storedByNumber.values());
    expect(new Set(journal.map((event) => event.id)).size).toBe(journal.length);
    expect(provisioned.map((event) => event.resource_id).sort()).toStrictEqual([...storedIds].sort());

    // The restarted server serves every acknowledged write and refuses to create them again.
    const second = await startServer();
    try {
      const sample = [...acknowledged].filter((_, index) => index % 25 === 0);
      for (const [n, id] of sample) {
        const reply = await fetch(`${second.base}/Users/${id}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(reply.status).toBe(200);
        expectComplete((await reply.json()) as Record<string, any>, n);
        const again = await fetch(`${second.base}/Users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify(user(n)),
        });
        expect(again.status).toBe(409);
      }
      const count = await fetch(`${second.base}/Users?count=0`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(((await count.json()) as { totalResults: number }).totalResults).toBe(storedByNumber.size);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 180_000);
});
