import { type FilterNode, type Store, parseFilter } from '@scim/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore, explainQuery } from '../src/index.js';
import { tempDatabase } from './temp-database.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const tenant = 'tenant-plan';
const database = tempDatabase();
let store: Store;

beforeAll(async () => {
  store = createSqliteStore({ database: database.path });
  await store.transaction(tenant, async (tx) => {
    for (let i = 0; i < 50; i++) {
      await tx.create({
        resourceType: 'User',
        id: `u${i}`,
        now: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
        data: {
          schemas: [USER],
          userName: `user${i}`,
          externalId: `ext-${i}`,
          emails: [{ value: `user${i}@example.com`, type: 'work' }],
        },
      });
    }
    await tx.create({
      resourceType: 'Group',
      id: 'g1',
      now: '2024-03-01T00:00:00.000Z',
      data: { schemas: [GROUP], displayName: 'Admins' },
      members: [{ value: 'u1', type: 'User' }],
    });
  });
});

afterAll(async () => {
  await store.close();
  database.remove();
});

const plan = async (resourceType: 'User' | 'Group', filter: string): Promise<string> => {
  const node: FilterNode = parseFilter(filter, { resourceType });
  return (await explainQuery(store, tenant, { resourceType, filter: node, count: 10 })).join('\n');
};

describe('EXPLAIN QUERY PLAN of the hot lookups', () => {
  it('an unfiltered page (an IdP paging through every user) walks the listing index', async () => {
    for (const startIndex of [1, 20]) {
      const steps = await explainQuery(store, tenant, { resourceType: 'User', count: 10, startIndex });
      // Type and deprovisioned_at come from the index: skipped rows cost no table read, no sort.
      expect(steps.join('\n')).toMatch(
        /SEARCH r USING INDEX resources_listing \(tenant_id=\? AND resource_type=\? AND deprovisioned_at=\?\)/,
      );
      expect(steps.join('\n')).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('userName eq searches the userName index', async () => {
    expect(await plan('User', 'userName eq "USER7"')).toMatch(
      /SEARCH r USING (COVERING )?INDEX resources_user_name/,
    );
  });

  it('externalId eq searches the externalId index', async () => {
    expect(await plan('User', 'externalId eq "ext-7"')).toMatch(/SEARCH r USING INDEX resources_external_id/);
  });

  it('id eq searches by id', async () => {
    expect(await plan('User', 'id eq "u7"')).toMatch(
      /SEARCH r USING INDEX resources_by_id \(tenant_id=\? AND id=\?\)/,
    );
  });

  it('displayName eq on groups searches the displayName index', async () => {
    expect(await plan('Group', 'displayName eq "admins"')).toMatch(
      /SEARCH r USING INDEX resources_display_name/,
    );
  });

  it('emails.value eq and emails[value eq ...] search the value index', async () => {
    expect(await plan('User', 'emails.value eq "User7@example.com"')).toMatch(
      /SEARCH value_index USING (COVERING )?INDEX value_index_lookup/,
    );
    expect(await plan('User', 'emails[type eq "work" and value eq "user7@example.com"]')).toMatch(
      /SEARCH value_index USING (COVERING )?INDEX value_index_lookup/,
    );
    // The rows themselves are then fetched by primary key: never scanned, and never walked in id
    // order through the listing index (which reads every user of the tenant to fill a page).
    for (const filter of ['emails.value eq "user7@example.com"', 'emails[value eq "user7@example.com"]']) {
      const text = await plan('User', filter);
      expect(text).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(text).not.toMatch(/SCAN r\b|resources_listing/);
    }
  });

  it('an or of two lookups uses both indexes, not a walk of every user', async () => {
    const text = await plan('User', 'emails.value eq "user7@example.com" or userName eq "user8"');
    expect(text).toMatch(/MULTI-INDEX OR/);
    expect(text).toMatch(/SEARCH value_index USING (COVERING )?INDEX value_index_lookup/);
    expect(text).toMatch(/SEARCH r USING (COVERING )?INDEX resources_user_name/);
    expect(text).not.toMatch(/SCAN r\b|resources_listing/);
  });

  it('members.value eq searches the members-by-member index', async () => {
    const text = await plan('Group', 'members.value eq "u1"');
    expect(text).toMatch(/SEARCH members USING (COVERING )?INDEX members_by_member/);
    expect(text).not.toMatch(/SCAN r\b/);
  });

  it('meta.lastModified ranges search the lastModified index', async () => {
    expect(await plan('User', 'meta.lastModified gt "2024-01-20T00:00:00Z"')).toMatch(
      /SEARCH r USING INDEX resources_last_modified \(tenant_id=\? AND resource_type=\? AND last_modified_ms>\?\)/,
    );
    expect(
      await plan(
        'User',
        'meta.lastModified ge "2024-01-10T00:00:00Z" and meta.lastModified lt "2024-01-20T00:00:00Z"',
      ),
    ).toMatch(
      /SEARCH r USING INDEX resources_last_modified \(tenant_id=\? AND resource_type=\? AND last_modified_ms>\? AND last_modified_ms<\?\)/,
    );
  });

  it('the lookups return the right rows', async () => {
    const query = async (resourceType: 'User' | 'Group', filter: string) =>
      (
        await store.queryResources(tenant, {
          resourceType,
          filter: parseFilter(filter, { resourceType }),
          count: 100,
        })
      ).resources.map((resource) => resource.id);
    expect(await query('User', 'userName eq "USER7"')).toEqual(['u7']);
    expect(await query('User', 'emails[type eq "work" and value eq "USER8@example.com"]')).toEqual(['u8']);
    expect(await query('Group', 'members.value eq "u1"')).toEqual(['g1']);
    expect(await query('User', 'meta.lastModified ge "2024-02-18T00:00:00Z"')).toEqual(['u48', 'u49']);
  });
});
