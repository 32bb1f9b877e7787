import { expect } from 'vitest';
import { type Harness, expectStoreError, groupData, userData } from '../harness.js';

/** Create, get, update and delete, including not_found. */
export function crudTests(h: Harness): void {
  h.test('create returns the resource at version 1 and get reads it back', async (c) => {
    const id = c.newId();
    const now = c.now();
    const data = userData('ada.lovelace', {
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      active: true,
    });
    const created = await c.store.transaction(c.tenant, (tx) =>
      tx.create({
        resourceType: 'User',
        id,
        now,
        data,
        access: { role: 'admin', status: 'active', reason: 'test' },
      }),
    );
    expect(created).toMatchObject({
      id,
      resourceType: 'User',
      version: 1,
      created: now,
      lastModified: now,
      data,
    });
    expect(created.deprovisionedAt).toBeUndefined();
    const read = await c.store.getResource(c.tenant, 'User', id);
    expect(read).toEqual({
      id,
      resourceType: 'User',
      version: 1,
      created: now,
      lastModified: now,
      data,
      access: { role: 'admin', status: 'active', reason: 'test' },
    });
  });

  h.test('get answers undefined for an unknown id or another resource type', async (c) => {
    const id = c.newId();
    await c.store.transaction(c.tenant, (tx) =>
      tx.create({ resourceType: 'User', id, now: c.now(), data: userData('grace') }),
    );
    expect(await c.store.getResource(c.tenant, 'User', c.newId())).toBeUndefined();
    expect(await c.store.getResource(c.tenant, 'Group', id)).toBeUndefined();
  });

  h.test('creating a second resource with an existing id is a conflict', async (c) => {
    const id = c.newId();
    await c.store.transaction(c.tenant, (tx) =>
      tx.create({ resourceType: 'User', id, now: c.now(), data: userData('first') }),
    );
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) =>
        tx.create({ resourceType: 'User', id, now: c.now(), data: userData('second') }),
      ),
      'conflict',
    );
    expect((await c.store.getResource(c.tenant, 'User', id))?.data.userName).toBe('first');
  });

  h.test('update replaces the data, bumps the version and lastModified, keeps created', async (c) => {
    const id = c.newId();
    const createdAt = c.now();
    await c.store.transaction(c.tenant, (tx) =>
      tx.create({
        resourceType: 'User',
        id,
        now: createdAt,
        data: userData('alan', { title: 'Mathematician' }),
      }),
    );
    const updatedAt = c.now();
    const replacement = userData('alan', { displayName: 'Alan Turing' });
    const updated = await c.store.transaction(c.tenant, (tx) =>
      tx.update({ resourceType: 'User', id, now: updatedAt, data: replacement }),
    );
    expect(updated).toMatchObject({
      id,
      version: 2,
      created: createdAt,
      lastModified: updatedAt,
      data: replacement,
    });
    const read = await c.store.getResource(c.tenant, 'User', id);
    expect(read?.data).toEqual(replacement);
    expect(read?.data.title, 'update replaces the whole data, it does not merge').toBeUndefined();
    expect(read).toMatchObject({ version: 2, created: createdAt, lastModified: updatedAt });
  });

  h.test('update without data keeps the data, bumps the version and can set the access state', async (c) => {
    const id = c.newId();
    const data = userData('barbara', { active: true });
    await c.store.transaction(c.tenant, (tx) => tx.create({ resourceType: 'User', id, now: c.now(), data }));
    const access = { role: 'viewer', status: 'inactive' as const, reason: 'no mapped group' };
    await c.store.transaction(c.tenant, (tx) =>
      tx.update({ resourceType: 'User', id, now: c.now(), access }),
    );
    const read = await c.store.getResource(c.tenant, 'User', id);
    expect(read).toMatchObject({ version: 2, data, access });
    await c.store.transaction(c.tenant, (tx) =>
      tx.update({ resourceType: 'User', id, now: c.now(), data: userData('barbara', { active: false }) }),
    );
    expect(
      (await c.store.getResource(c.tenant, 'User', id))?.access,
      'access is kept when not given',
    ).toEqual(access);
  });

  h.test('update and delete of a missing resource are not_found', async (c) => {
    const missing = c.newId();
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) =>
        tx.update({ resourceType: 'User', id: missing, now: c.now(), data: userData('ghost') }),
      ),
      'not_found',
    );
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) => tx.delete('User', missing)),
      'not_found',
    );
    const groupId = c.newId();
    await c.store.transaction(c.tenant, (tx) =>
      tx.create({ resourceType: 'Group', id: groupId, now: c.now(), data: groupData('admins') }),
    );
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) =>
        tx.update({ resourceType: 'User', id: groupId, now: c.now(), data: userData('not-a-group') }),
      ),
      'not_found',
    );
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) => tx.delete('User', groupId)),
      'not_found',
    );
  });

  h.test('delete removes the resource for good', async (c) => {
    const id = c.newId();
    await c.store.transaction(c.tenant, (tx) =>
      tx.create({ resourceType: 'User', id, now: c.now(), data: userData('temp') }),
    );
    await c.store.transaction(c.tenant, (tx) => tx.delete('User', id));
    expect(await c.store.getResource(c.tenant, 'User', id)).toBeUndefined();
    expect(await c.store.getResource(c.tenant, 'User', id, { includeDeprovisioned: true })).toBeUndefined();
    expect(await c.store.countResources(c.tenant, 'User', { includeDeprovisioned: true })).toBe(0);
    await expectStoreError(
      c.store.transaction(c.tenant, (tx) => tx.delete('User', id)),
      'not_found',
    );
  });

  h.test('resources handed out are copies: mutating them does not change the store', async (c) => {
    const id = c.newId();
    const data = userData('immutable', { emails: [{ value: 'a@example.com', type: 'work' }] });
    const created = await c.store.transaction(c.tenant, (tx) =>
      tx.create({ resourceType: 'User', id, now: c.now(), data }),
    );
    (created.data.emails as Array<{ value: string }>)[0]!.value = 'changed@example.com';
    (data.emails as Array<{ value: string }>)[0]!.value = 'changed-input@example.com';
    const read = await c.store.getResource(c.tenant, 'User', id);
    expect(read?.data.emails).toEqual([{ value: 'a@example.com', type: 'work' }]);
    read!.data.userName = 'mutated';
    expect((await c.store.getResource(c.tenant, 'User', id))?.data.userName).toBe('immutable');
  });

  h.test(
    'keeps every JSON value type of the data intact (nested, extension, numbers, booleans)',
    async (c) => {
      const id = c.newId();
      const data = {
        schemas: [
          'urn:ietf:params:scim:schemas:core:2.0:User',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        ],
        userName: 'Ünïcødé.ユーザー',
        active: false,
        name: { givenName: 'Zoë', familyName: 'O\'Brien "quoted" \\ back' },
        emails: [
          { value: 'z@example.com', type: 'work', primary: true },
          { value: 'z@home.example', type: 'home' },
        ],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
          employeeNumber: '0042',
          manager: { value: 'm-1', displayName: 'Boss' },
        },
        'urn:scim:contract:test:2.0:User': { level: 7, hiredAt: '2021-05-04T10:00:00Z' },
      };
      await c.store.transaction(c.tenant, (tx) =>
        tx.create({ resourceType: 'User', id, now: c.now(), data }),
      );
      expect((await c.store.getResource(c.tenant, 'User', id))?.data).toEqual(data);
    },
  );
}
