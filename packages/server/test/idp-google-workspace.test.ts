/**
 * Google Workspace, from its public documentation:
 * - "About automated user provisioning" (support.google.com/a/answer/7681608) and "Automated user
 *   provisioning and deprovisioning" (support.google.com/cloudidentity/topic/7661972): Google
 *   provisions only to apps in its catalogue that are configured for SAML SSO, syncs every few hours,
 *   and acts on active, suspended and deleted users (add, modify, delete).
 * Google publishes no SCIM request bodies for its provisioning client, so nothing here is a replay:
 * these tests check the lifecycle Google describes with RFC 7644 requests (PUT for modifications,
 * `active: false` for a suspended user, DELETE for a deleted one) and plain `application/json`.
 * See packages/server/docs/idp-compatibility.md.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestClient, USER_SCHEMA } from './harness.js';

const q = (filter: string) => encodeURIComponent(filter);
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

let client: TestClient;
beforeEach(async () => {
  client = await startServer();
});
afterEach(async () => {
  await client.close();
});

describe('Google Workspace automated provisioning (lifecycle as documented, RFC 7644 requests)', () => {
  it('adds, modifies, suspends, restores and deletes a user', async () => {
    const added = await client.request('POST', '/Users', {
      headers: JSON_HEADERS,
      body: {
        schemas: [USER_SCHEMA],
        userName: 'gw.user@example.com',
        name: { givenName: 'Gee', familyName: 'Dub' },
        emails: [{ value: 'gw.user@example.com', type: 'work', primary: true }],
        active: true,
      },
    });
    expect(added.status).toBe(201);
    expect(added.headers.get('content-type')).toMatch(/^application\/json/);
    const id = added.body.id;

    const modified = await client.request('PUT', `/Users/${id}`, {
      headers: JSON_HEADERS,
      body: {
        schemas: [USER_SCHEMA],
        userName: 'gw.user@example.com',
        name: { givenName: 'Gee', familyName: 'Renamed' },
        emails: [{ value: 'gw.user@example.com', type: 'work', primary: true }],
        active: true,
      },
    });
    expect(modified.status).toBe(200);
    expect(modified.body.name.familyName).toBe('Renamed');

    const suspended = await client.request('PUT', `/Users/${id}`, {
      headers: JSON_HEADERS,
      body: { ...modified.body, active: false },
    });
    expect(suspended.status).toBe(200);
    expect(suspended.body.active).toBe(false);
    const restored = await client.request('PUT', `/Users/${id}`, {
      headers: JSON_HEADERS,
      body: { ...suspended.body, active: true },
    });
    expect(restored.body.active).toBe(true);

    expect((await client.request('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await client.request('GET', `/Users/${id}`)).status).toBe(404);

    await client.scim.drainEvents();
    const types = (await client.store.readJournal({ tenantId: 'acme', resourceId: id })).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'scim.user.provisioned',
        'scim.user.updated',
        'scim.user.deactivated',
        'scim.user.reactivated',
      ]),
    );
    // DELETE deprovisions by default: the host is told the user is deactivated, and the data is kept.
    expect(types.filter((type) => type.startsWith('scim.user.')).at(-1)).toBe('scim.user.deactivated');
  });

  it('accepts application/json, filters by work email, and a PUT replaces what it leaves out', async () => {
    const created = await client.request('POST', '/Users', {
      headers: JSON_HEADERS,
      body: {
        schemas: [USER_SCHEMA],
        userName: 'jc@example.com',
        name: { givenName: 'Jump', familyName: 'Cloud' },
        emails: [{ value: 'jc@example.com', type: 'work', primary: true }],
        active: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    const byEmail = await client.request(
      'GET',
      `/Users?filter=${q('emails[type eq "work" and value eq "jc@example.com"]')}`,
    );
    expect(byEmail.body.totalResults).toBe(1);
    const put = await client.request('PUT', `/Users/${created.body.id}`, {
      body: { schemas: [USER_SCHEMA], userName: 'jc@example.com', active: false },
    });
    expect(put.body.active).toBe(false);
    // PUT replaces: the emails it left out are gone.
    expect(put.body.emails).toBeUndefined();
    const afterPut = await client.request('GET', `/Users?filter=${q('emails.value eq "jc@example.com"')}`);
    expect(afterPut.body.totalResults).toBe(0);
  });
});
