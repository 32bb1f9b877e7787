import type { Credential, RoleSettings } from '@scim/core';
import { expect } from 'vitest';
import {
  type ContractTestContext,
  type Harness,
  createGroup,
  createUsers,
  expectStoreError,
} from '../harness.js';

function credential(c: ContractTestContext, tenantId: string, name: string): Credential {
  return {
    id: c.newId(),
    tenantId,
    name,
    kind: 'bearer',
    hash: `${c.newId().replace(/-/g, '')}${c.newId().replace(/-/g, '')}`.slice(0, 64),
    createdAt: c.now(),
  };
}

/** Tenants, credential hashes, role settings, last-sync time and statistics. */
export function controlDataTests(h: Harness): void {
  h.test('tenants are created, read and listed; a duplicate id is a conflict', async (c) => {
    const createdAt = c.now();
    expect(await c.store.getTenant(c.tenant)).toBeUndefined();
    expect(await c.store.createTenant({ id: c.tenant, name: 'Acme', createdAt })).toEqual({
      id: c.tenant,
      name: 'Acme',
      createdAt,
    });
    const other = c.newTenant();
    await c.store.createTenant({ id: other, name: 'Globex', createdAt: c.now() });
    expect(await c.store.getTenant(c.tenant)).toEqual({ id: c.tenant, name: 'Acme', createdAt });
    const listed = (await c.store.listTenants()).map((t) => t.id);
    expect(listed).toEqual(expect.arrayContaining([c.tenant, other]));
    await expectStoreError(
      c.store.createTenant({ id: c.tenant, name: 'Again', createdAt: c.now() }),
      'conflict',
    );
  });

  h.test('touchLastSync sets the tenant’s lastSyncAt on commit', async (c) => {
    await c.store.createTenant({ id: c.tenant, name: 'Synced', createdAt: c.now() });
    const first = c.now();
    await c.store.transaction(c.tenant, (tx) => tx.touchLastSync(first));
    expect((await c.store.getTenant(c.tenant))?.lastSyncAt).toBe(first);
    const second = c.now();
    await c.store.transaction(c.tenant, (tx) => tx.touchLastSync(second));
    expect((await c.store.getTenant(c.tenant))?.lastSyncAt).toBe(second);
  });

  h.test('credentials are found by hash across tenants and listed per tenant', async (c) => {
    const tenantB = c.newTenant();
    const a1 = credential(c, c.tenant, 'okta');
    const a2 = {
      ...credential(c, c.tenant, 'entra'),
      kind: 'basic' as const,
      expiresAt: '2030-01-01T00:00:00.000Z',
    };
    const b1 = credential(c, tenantB, 'google');
    for (const item of [a1, a2, b1]) await c.store.createCredential(item);
    expect(await c.store.findCredentialByHash(b1.hash)).toEqual(b1);
    expect(await c.store.findCredentialByHash(a2.hash)).toEqual(a2);
    expect(await c.store.findCredentialByHash('0'.repeat(64))).toBeUndefined();
    const listed = await c.store.listCredentials(c.tenant);
    expect([...listed].sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(
      [a1, a2].sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
    expect(await c.store.listCredentials(tenantB)).toEqual([b1]);
  });

  h.test(
    'updateCredential revokes, expires, renames and records use; null clears; other tenants are not_found',
    async (c) => {
      const tenantB = c.newTenant();
      const item = credential(c, c.tenant, 'rotating');
      await c.store.createCredential(item);
      const revokedAt = c.now();
      const expiresAt = c.now();
      const lastUsedAt = c.now();
      await c.store.updateCredential(c.tenant, item.id, {
        revokedAt,
        expiresAt,
        lastUsedAt,
        name: 'renamed',
      });
      expect(await c.store.findCredentialByHash(item.hash)).toEqual({
        ...item,
        revokedAt,
        expiresAt,
        lastUsedAt,
        name: 'renamed',
      });
      await c.store.updateCredential(c.tenant, item.id, { revokedAt: null, expiresAt: null });
      const cleared = await c.store.findCredentialByHash(item.hash);
      expect(cleared).toEqual({ ...item, lastUsedAt, name: 'renamed' });
      expect(cleared!.revokedAt).toBeUndefined();
      expect(cleared!.expiresAt).toBeUndefined();
      await expectStoreError(c.store.updateCredential(tenantB, item.id, { revokedAt: c.now() }), 'not_found');
      await expectStoreError(
        c.store.updateCredential(c.tenant, c.newId(), { revokedAt: c.now() }),
        'not_found',
      );
      expect((await c.store.findCredentialByHash(item.hash))!.revokedAt).toBeUndefined();
    },
  );

  h.test('role settings round-trip per tenant and are readable inside a transaction', async (c) => {
    const settings: RoleSettings = {
      roles: ['owner', 'admin', 'member'],
      defaultRole: 'member',
      mappings: [
        { match: 'displayName', value: 'Admins', role: 'admin' },
        { match: 'externalId', value: 'grp-1', role: 'owner' },
      ],
      deactivateUnmapped: true,
      roleAttribute: 'urn:acme:2.0:User:role',
    };
    expect(await c.store.getRoleSettings(c.tenant)).toBeUndefined();
    await c.store.setRoleSettings(c.tenant, settings);
    expect(await c.store.getRoleSettings(c.tenant)).toEqual(settings);
    expect(await c.store.transaction(c.tenant, (tx) => tx.getRoleSettings())).toEqual(settings);
    const replaced: RoleSettings = {
      roles: ['member'],
      defaultRole: null,
      mappings: [],
      deactivateUnmapped: false,
    };
    await c.store.setRoleSettings(c.tenant, replaced);
    expect(await c.store.getRoleSettings(c.tenant)).toEqual(replaced);
  });

  h.test('countResources counts per resource type', async (c) => {
    await createUsers(c, ['c1', 'c2', 'c3']);
    await createGroup(c, 'Counted');
    expect(await c.store.countResources(c.tenant, 'User')).toBe(3);
    expect(await c.store.countResources(c.tenant, 'Group')).toBe(1);
    expect(await c.store.countResources(c.newTenant(), 'User')).toBe(0);
  });

  h.test('ping answers', async (c) => {
    await expect(c.store.ping()).resolves.toBeUndefined();
  });
}
