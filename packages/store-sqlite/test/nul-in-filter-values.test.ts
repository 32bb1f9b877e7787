import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateFilter, parseFilter } from '@scim/core';
import { expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

// SQLite's LIKE stops reading its pattern at U+0000, so `co "\u0000"` once matched every row.
it('a NUL in co/sw/ew values matches literally and agrees with evaluateFilter', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'scim-nul-'));
  const store = createSqliteStore({ database: join(directory, 'scim.db') });
  const users = [
    { id: 'nul', userName: 'A\u0000B', displayName: 'x\u0000y' },
    { id: 'lead', userName: '\u0000lead', displayName: 'lead' },
    { id: 'plain', userName: 'plain', displayName: 'plain' },
    { id: 'empty-ish', userName: 'b', displayName: '' },
  ];
  try {
    await store.createTenant({ id: 't', name: 't', createdAt: '2024-01-01T00:00:00Z' });
    await store.transaction('t', async (tx) => {
      for (const { id, ...attributes } of users) {
        await tx.create({
          resourceType: 'User',
          id,
          now: '2024-01-01T00:00:00Z',
          data: { schemas: [USER], ...attributes },
        });
      }
    });
    const filters = [
      'userName co "\\u0000"',
      'userName co "a\\u0000b"',
      'userName sw "\\u0000"',
      'userName sw "a\\u0000"',
      'userName ew "\\u0000"',
      'userName ew "\\u0000b"',
      'userName ew "\\u0000lead"',
      'displayName co "\\u0000"',
      'displayName ew "X\\u0000Y"',
      'not (userName co "\\u0000")',
    ];
    for (const text of filters) {
      const filter = parseFilter(text, { resourceType: 'User' });
      const result = await store.queryResources('t', { resourceType: 'User', filter, count: 10 });
      const expected = users
        .filter(({ id, ...attributes }) => evaluateFilter(filter, { schemas: [USER], id, ...attributes }))
        .map((user) => user.id)
        .sort();
      expect(result.resources.map((r) => r.id).sort(), text).toStrictEqual(expected);
    }
    // Spot-check the reference semantics the comparison relies on.
    const co = await store.queryResources('t', {
      resourceType: 'User',
      filter: parseFilter('userName co "\\u0000"', { resourceType: 'User' }),
      count: 10,
    });
    expect(co.resources.map((r) => r.id).sort()).toStrictEqual(['lead', 'nul']);
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
