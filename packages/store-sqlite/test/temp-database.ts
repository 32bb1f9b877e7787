import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir for one database file; `remove()` deletes it with its WAL files. */
export function tempDatabase(): { path: string; remove: () => void } {
  const directory = mkdtempSync(join(tmpdir(), 'scim-sqlite-'));
  return {
    path: join(directory, 'scim.db'),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}
