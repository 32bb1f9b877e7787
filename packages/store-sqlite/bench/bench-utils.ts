import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp directory for one benchmark database, removed by `remove()`. */
export function benchDatabase(): { path: string; sizeMb: () => number; remove: () => void } {
  const directory = mkdtempSync(join(tmpdir(), 'scim-sqlite-bench-'));
  const path = join(directory, 'bench.db');
  return {
    path,
    sizeMb: () => {
      let bytes = 0;
      for (const suffix of ['', '-wal']) {
        try {
          bytes += statSync(path + suffix).size;
        } catch {
          // no WAL file right now
        }
      }
      return bytes / 1024 / 1024;
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** Per-operation latencies in microseconds: mean and percentiles. */
export function summarise(samplesNs: bigint[]): { mean: number; p50: number; p99: number; max: number } {
  const us = samplesNs.map((ns) => Number(ns) / 1000).sort((a, b) => a - b);
  const at = (q: number) => us[Math.min(us.length - 1, Math.floor(q * us.length))] ?? 0;
  const mean = us.reduce((sum, value) => sum + value, 0) / Math.max(1, us.length);
  return { mean: round(mean), p50: round(at(0.5)), p99: round(at(0.99)), max: round(us.at(-1) ?? 0) };
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Where the figures were taken. */
export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu} (${cpus().length} vCPU, shared)`;
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A realistic IdP-provisioned user. */
export function userData(i: number): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA],
    userName: `user${i}@example.com`,
    externalId: `00u${i.toString(36).padStart(8, '0')}`,
    name: { givenName: `Given${i}`, familyName: `Family${i % 997}` },
    displayName: `Given${i} Family${i % 997}`,
    emails: [{ value: `user${i}@example.com`, type: 'work', primary: true }],
    active: true,
  };
}
