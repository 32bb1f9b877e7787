import { StoreError, isScimError, isStoreError } from '@scim/core';

/** Unique columns of the store's tables and the SCIM attribute (or field) each one protects. */
const UNIQUE_COLUMNS: Readonly<Record<string, string>> = {
  'resources.user_name_ci': 'userName',
  'resources.id': 'id',
  'unique_values.value_norm': 'value',
  'journal.id': 'id',
  'credentials.hash': 'hash',
  'credentials.id': 'id',
  'tenants.id': 'id',
};

/**
 * Turns an error thrown by better-sqlite3 into a `StoreError`, or returns `undefined` when it is
 * not a database condition the caller can act on (a programming error, which should surface as is).
 *
 * - `SQLITE_CONSTRAINT_UNIQUE` / `_PRIMARYKEY` -> `conflict`, with the attribute when the constraint names a known column
 * - `SQLITE_CONSTRAINT_FOREIGNKEY` -> `not_found` (a referenced row is missing)
 * - `SQLITE_BUSY*`, `SQLITE_LOCKED*` -> `unavailable`, retryable
 * - `SQLITE_IOERR*`, `SQLITE_FULL`, `SQLITE_CANTOPEN`, `SQLITE_READONLY*`, `SQLITE_CORRUPT*`,
 *   `SQLITE_NOTADB` -> `unavailable`, not retryable
 * - an error that already is a `StoreError` is returned unchanged.
 *
 * @example
 * try { insert.run(row); } catch (cause) { throw classifySqliteError(cause) ?? cause; }
 */
export function classifySqliteError(cause: unknown): StoreError | undefined {
  if (isStoreError(cause)) return cause;
  if (isScimError(cause)) return undefined;
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const message = String((cause as { message?: unknown }).message ?? '');

  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const attribute = constrainedAttribute(message);
    return new StoreError('conflict', {
      cause,
      attribute,
      detail:
        attribute === undefined
          ? 'A unique value is already taken'
          : `The value of ${attribute} is already taken`,
    });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new StoreError('not_found', { cause, detail: 'A referenced record does not exist' });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('unavailable', {
      cause,
      retryable: true,
      detail: 'The database is locked by another writer; retry shortly',
    });
  }
  if (
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CORRUPT') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'SQLITE_FULL' ||
    code === 'SQLITE_NOTADB'
  ) {
    return new StoreError('unavailable', {
      cause,
      retryable: false,
      detail: `The database failed (${code})`,
    });
  }
  return undefined;
}

/** The attribute named by a `UNIQUE constraint failed: table.column, ...` message. */
function constrainedAttribute(message: string): string | undefined {
  const match = /constraint failed: (.+)$/i.exec(message);
  if (match === null) return undefined;
  const columns = match[1]!.split(',').map((column) => column.trim());
  // The last column is the distinguishing one: the others are tenant/type scoping.
  for (let i = columns.length - 1; i >= 0; i--) {
    const attribute = UNIQUE_COLUMNS[columns[i]!];
    if (attribute !== undefined) return attribute;
  }
  return undefined;
}

/** Runs a synchronous database call, rethrowing database conditions as `StoreError`. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    throw classifySqliteError(cause) ?? cause;
  }
}
