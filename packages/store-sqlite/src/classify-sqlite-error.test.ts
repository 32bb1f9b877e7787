import { StoreError, isStoreError } from '@scim/core';
import { describe, expect, it } from 'vitest';
import { classifySqliteError } from './classify-sqlite-error.js';

/** A stand-in for better-sqlite3's SqliteError: an Error with a `code`. */
function fake(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'SqliteError', code });
}

describe('classifySqliteError', () => {
  it('maps a unique violation on userName to a conflict naming userName', () => {
    const cause = fake(
      'SQLITE_CONSTRAINT_UNIQUE',
      'UNIQUE constraint failed: resources.tenant_id, resources.user_name_ci',
    );
    const error = classifySqliteError(cause);
    expect(error?.reason).toBe('conflict');
    expect(error?.attribute).toBe('userName');
    expect(error?.retryable).toBe(false);
    expect(error?.cause).toBe(cause);
    expect(error?.message).toContain('userName');
  });

  it('maps a duplicate id (primary key or unique index) to a conflict on id', () => {
    const error = classifySqliteError(
      fake(
        'SQLITE_CONSTRAINT_UNIQUE',
        'UNIQUE constraint failed: resources.tenant_id, resources.resource_type, resources.id',
      ),
    );
    expect(error?.reason).toBe('conflict');
    expect(error?.attribute).toBe('id');
    expect(
      classifySqliteError(fake('SQLITE_CONSTRAINT_PRIMARYKEY', 'UNIQUE constraint failed: tenants.id'))
        ?.attribute,
    ).toBe('id');
  });

  it('keeps a conflict without attribute when the column is unknown', () => {
    const error = classifySqliteError(
      fake('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: other.thing'),
    );
    expect(error?.reason).toBe('conflict');
    expect(error?.attribute).toBeUndefined();
  });

  it('treats busy and locked databases as retryable unavailability', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']) {
      const error = classifySqliteError(fake(code, 'database is locked'));
      expect(error?.reason).toBe('unavailable');
      expect(error?.retryable).toBe(true);
    }
  });

  it('treats I/O failures and a full disk as unavailability that a retry will not fix', () => {
    for (const code of ['SQLITE_IOERR_WRITE', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_CORRUPT']) {
      const error = classifySqliteError(fake(code, 'disk I/O error'));
      expect(error?.reason).toBe('unavailable');
      expect(error?.retryable).toBe(false);
    }
  });

  it('maps a foreign key violation to not_found', () => {
    expect(
      classifySqliteError(fake('SQLITE_CONSTRAINT_FOREIGNKEY', 'FOREIGN KEY constraint failed'))?.reason,
    ).toBe('not_found');
  });

  it('passes StoreErrors through and leaves programming errors alone', () => {
    const existing = new StoreError('precondition_failed');
    expect(classifySqliteError(existing)).toBe(existing);
    expect(classifySqliteError(new TypeError('x is undefined'))).toBeUndefined();
    expect(classifySqliteError(fake('SQLITE_ERROR', 'no such column: foo'))).toBeUndefined();
    expect(classifySqliteError('string')).toBeUndefined();
    expect(isStoreError(classifySqliteError(fake('SQLITE_BUSY', 'busy')))).toBe(true);
  });
});
