import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JournalEvent } from '@scim/core';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackSink, explainAccess, signWebhook, webhookSink } from '../src/index.js';
import { GROUP_SCHEMA, PATCH_SCHEMA, startServer, type TestClient, USER_SCHEMA } from './harness.js';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  ...extra,
});

describe('deprovisioning', () => {
  it('keeps a deleted user, hides it from SCIM, and restores it on a later POST with the same userName', async () => {
    client = await startServer();
    const created = await client.request('POST', '/Users', {
      body: user('kept@example.com', { externalId: 'e1', title: 'Engineer', active: true }),
    });
    const id = created.body.id;
    const gid = (
      await client.request('POST', '/Groups', {
        body: { schemas: [GROUP_SCHEMA], displayName: 'Eng', members: [{ value: id }] },
      })
    ).body.id;
    expect((await client.request('DELETE', `/Users/${id}`)).status).toBe(204);

    expect((await client.request('GET', `/Users/${id}`)).status).toBe(404);
    expect(
      (
        await client.request('PATCH', `/Users/${id}`, {
          body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
        })
      ).status,
    ).toBe(404);
    expect((await client.request('DELETE', `/Users/${id}`)).status).toBe(404);
    expect(
      (await client.request('GET', `/Users?filter=${encodeURIComponent('userName eq "kept@example.com"')}`))
        .body.totalResults,
    ).toBe(0);
    expect((await client.request('GET', `/Groups/${gid}`)).body.members).toBeUndefined();

    const kept = await client.store.getResource('acme', 'User', id, { includeDeprovisioned: true });
    expect(kept?.deprovisionedAt).toBeDefined();
    expect(kept?.data.active).toBe(false);
    expect(kept?.access?.status).toBe('inactive');

    const restored = await client.request('POST', '/Users', {
      body: user('kept@example.com', { externalId: 'e1' }),
    });
    expect(restored.status).toBe(201);
    expect(restored.body.id).toBe(id);
    expect(restored.body.active).toBe(true);
    expect(restored.body.title).toBe('Engineer');
    expect((await client.request('GET', `/Users/${id}`)).status).toBe(200);

    await client.scim.drainEvents();
    const types = (await client.store.readJournal({ tenantId: 'acme', resourceId: id })).map((e) => e.type);
    expect(types).toContain('scim.user.deactivated');
    expect(types).toContain('scim.user.reactivated');
    const groupTypes = (await client.store.readJournal({ tenantId: 'acme', resourceId: gid })).map(
      (e) => e.type,
    );
    expect(groupTypes).toContain('scim.group.members_removed');
  });

  it('restores by externalId too', async () => {
    client = await startServer();
    const id = (
      await client.request('POST', '/Users', {
        body: user('old-name@example.com', { externalId: 'okta-42' }),
      })
    ).body.id;
    await client.request('DELETE', `/Users/${id}`);
    const restored = await client.request('POST', '/Users', {
      body: user('new-name@example.com', { externalId: 'okta-42' }),
    });
    expect(restored.status).toBe(201);
    expect(restored.body.id).toBe(id);
    expect(restored.body.userName).toBe('new-name@example.com');
  });

  it('hard-deletes when the policy says so', async () => {
    client = await startServer({ policies: { userDelete: 'hard' } });
    const id = (await client.request('POST', '/Users', { body: user('gone@example.com') })).body.id;
    expect((await client.request('DELETE', `/Users/${id}`)).status).toBe(204);
    expect(
      await client.store.getResource('acme', 'User', id, { includeDeprovisioned: true }),
    ).toBeUndefined();
    const again = await client.request('POST', '/Users', { body: user('gone@example.com') });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
  });
});

describe('just-in-time linking', () => {
  async function seedSsoUser(c: TestClient): Promise<string> {
    // A user the product created at SSO login: no externalId.
    return c.store.transaction('acme', async (tx) => {
      const stored = await tx.create({
        resourceType: 'User',
        id: 'sso-user-1',
        now: new Date().toISOString(),
        data: { schemas: [USER_SCHEMA], userName: 'jit@example.com', displayName: 'From SSO' },
      });
      return stored.id;
    });
  }

  it('links a POST with an externalId to the existing user instead of answering 409', async () => {
    client = await startServer();
    const id = await seedSsoUser(client);
    const linked = await client.request('POST', '/Users', {
      body: user('JIT@example.com', { externalId: 'idp-7', name: { givenName: 'J' } }),
    });
    expect(linked.status).toBe(201);
    expect(linked.body.id).toBe(id);
    expect(linked.body.externalId).toBe('idp-7');
    expect(linked.body.displayName).toBe('From SSO');
    const second = await client.request('POST', '/Users', {
      body: user('jit@example.com', { externalId: 'idp-8' }),
    });
    expect(second.status).toBe(409);
  });

  it('answers 409 uniqueness when linking is off', async () => {
    client = await startServer({ policies: { jitLink: false } });
    await seedSsoUser(client);
    const response = await client.request('POST', '/Users', {
      body: user('jit@example.com', { externalId: 'idp-7' }),
    });
    expect(response.status).toBe(409);
    expect(response.body.scimType).toBe('uniqueness');
  });
});

describe('roles', () => {
  it('recomputes access on membership changes, rename and group delete, in the same transactions', async () => {
    client = await startServer();
    await client.store.setRoleSettings('acme', {
      roles: ['admin', 'member'],
      defaultRole: null,
      mappings: [
        { match: 'displayName', value: 'Admins', role: 'admin' },
        { match: 'displayName', value: 'Staff', role: 'member' },
      ],
      deactivateUnmapped: true,
    });
    const id = (await client.request('POST', '/Users', { body: user('role@example.com') })).body.id;
    expect((await client.store.getResource('acme', 'User', id))?.access).toMatchObject({
      role: null,
      status: 'inactive',
    });

    const gid = (
      await client.request('POST', '/Groups', { body: { schemas: [GROUP_SCHEMA], displayName: 'Staff' } })
    ).body.id;
    await client.request('PATCH', `/Groups/${gid}`, {
      body: { schemas: [PATCH_SCHEMA], Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] },
    });
    expect((await client.store.getResource('acme', 'User', id))?.access).toMatchObject({
      role: 'member',
      status: 'active',
    });

    await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'displayName', value: 'Admins' }],
      },
    });
    expect((await client.store.getResource('acme', 'User', id))?.access).toMatchObject({
      role: 'admin',
      status: 'active',
    });
    expect((await explainAccess(client.store, 'acme', id))?.reason).toMatch(/Admins/);

    await client.request('DELETE', `/Groups/${gid}`);
    expect((await client.store.getResource('acme', 'User', id))?.access).toMatchObject({
      role: null,
      status: 'inactive',
    });

    await client.scim.drainEvents();
    const roleEvents = (
      await client.store.readJournal({ tenantId: 'acme', resourceId: id, types: ['scim.role.changed'] })
    ).map((e) => e.data?.newRole);
    expect(roleEvents).toEqual(['member', 'admin', null]);
  });
});

describe('event sinks', () => {
  it('feeds a callback sink and a signed webhook from the journal after commit', async () => {
    const received: JournalEvent[] = [];
    const hooks: { signature: string; body: string }[] = [];
    const hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        hooks.push({ signature: String(req.headers['x-scim-signature']), body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
    try {
      client = await startServer({
        events: {
          sinks: [
            callbackSink('collector', (events) => void received.push(...events)),
            webhookSink({ name: 'hook', url: hookUrl, secret: 'whsec' }),
          ],
          pollIntervalMs: 60_000,
        },
      });
      await client.request('POST', '/Users', {
        body: user('events@example.com', { password: 'never-in-events' }),
      });
      await client.scim.drainEvents();
      expect(received.map((e) => e.type)).toContain('scim.user.provisioned');
      expect(hooks).toHaveLength(1);
      const { signature, body } = hooks[0]!;
      const [t, v1] = signature.split(',').map((part) => part.split('=')[1]);
      expect(v1).toBe(signWebhook('whsec', Number(t), body));
      expect(body).not.toContain('never-in-events');
      expect(await client.store.getSinkPosition('collector')).toBe(received.at(-1)!.position);
    } finally {
      hookServer.closeAllConnections();
      await new Promise<void>((resolve) => hookServer.close(() => resolve()));
    }
  });

  it('redelivers after a sink failure (at least once)', async () => {
    let fail = true;
    const delivered: string[] = [];
    client = await startServer({
      events: {
        sinks: [
          callbackSink('flaky', (events) => {
            if (fail) throw new Error('sink down');
            delivered.push(...events.map((e) => e.id));
          }),
        ],
        pollIntervalMs: 60_000,
      },
    });
    await client.request('POST', '/Users', { body: user('flaky@example.com') });
    await client.scim.drainEvents();
    expect(delivered).toHaveLength(0);
    fail = false;
    await client.scim.drainEvents();
    expect(delivered.length).toBeGreaterThan(0);
  });
});
