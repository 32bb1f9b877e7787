/**
 * JumpCloud, from its public documentation:
 * - "Identity Management using a Custom SCIM Integration" (jumpcloud.com/support/provision-and-manage-
 *   users-and-groups-in-apps-using-custom-scim-identity-management-integration): Test Connection creates
 *   a test user and a test group, then DELETEs both; where DELETE of users is not supported the test
 *   user is deactivated instead. SCIM 1.1 or 2.0 with a bearer token, no special attribute mappings.
 * JumpCloud publishes no request bodies. Group member removal with a `value` list (the Entra ID form,
 * not an RFC filter) is what service providers report receiving from JumpCloud (app.uni-moni.com
 * knowledge base, "SSO setup: JumpCloud"); the other bodies use RFC 7644's forms.
 * See packages/server/docs/idp-compatibility.md.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_SCHEMA, startServer, type TestClient, USER_SCHEMA } from './harness.js';

const q = (filter: string) => encodeURIComponent(filter);

let client: TestClient;
afterEach(async () => {
  await client.close();
});

describe('JumpCloud custom SCIM integration', () => {
  beforeEach(async () => {
    client = await startServer();
  });

  it('Test Connection: creates a test user and a test group, then deletes both', async () => {
    const user = await client.request('POST', '/Users', {
      body: {
        schemas: [USER_SCHEMA],
        userName: 'jc-test-user@example.com',
        name: { givenName: 'JumpCloud', familyName: 'Test' },
        emails: [{ value: 'jc-test-user@example.com', type: 'work', primary: true }],
        active: true,
      },
    });
    expect(user.status).toBe(201);
    const group = await client.request('POST', '/Groups', {
      body: { schemas: [GROUP_SCHEMA], displayName: 'JumpCloud Test Group' },
    });
    expect(group.status).toBe(201);
    expect((await client.request('DELETE', `/Groups/${group.body.id}`)).status).toBe(204);
    expect((await client.request('DELETE', `/Users/${user.body.id}`)).status).toBe(204);
    expect((await client.request('GET', `/Users/${user.body.id}`)).status).toBe(404);
    expect((await client.request('GET', `/Groups/${group.body.id}`)).status).toBe(404);

    // The next Test Connection creates the same test user again: it is brought back, not refused.
    const again = await client.request('POST', '/Users', {
      body: { schemas: [USER_SCHEMA], userName: 'jc-test-user@example.com', active: true },
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(user.body.id);
  });

  it('syncs group membership, removing members with a value list', async () => {
    const ids: string[] = [];
    for (const name of ['ann', 'bob', 'cid']) {
      ids.push(
        (
          await client.request('POST', '/Users', {
            body: { schemas: [USER_SCHEMA], userName: `${name}@example.com` },
          })
        ).body.id,
      );
    }
    const gid = (
      await client.request('POST', '/Groups', {
        body: { schemas: [GROUP_SCHEMA], displayName: 'Engineering' },
      })
    ).body.id;
    const add = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
      },
    });
    expect(add.status).toBe(200);
    expect(add.body.members).toHaveLength(3);
    const remove = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'remove', path: 'members', value: [{ value: ids[0] }] }],
      },
    });
    expect(remove.status).toBe(200);
    expect(remove.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [ids[1], ids[2]].sort(),
    );
    // Removing the same member again (a repeated sync) is not an error.
    const repeat = await client.request('PATCH', `/Groups/${gid}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'remove', path: 'members', value: [{ value: ids[0] }] }],
      },
    });
    expect(repeat.status).toBe(200);
    const byMember = await client.request('GET', `/Groups?filter=${q(`members.value eq "${ids[1]}"`)}`);
    expect(byMember.body.totalResults).toBe(1);
  });
});

describe('JumpCloud against a service provider that keeps users on DELETE as hard deletes', () => {
  beforeEach(async () => {
    client = await startServer({ policies: { userDelete: 'hard' } });
  });

  it('Test Connection deletes for good; the next test user is a new resource', async () => {
    const first = await client.request('POST', '/Users', {
      body: { schemas: [USER_SCHEMA], userName: 'jc-test-user@example.com' },
    });
    expect((await client.request('DELETE', `/Users/${first.body.id}`)).status).toBe(204);
    const second = await client.request('POST', '/Users', {
      body: { schemas: [USER_SCHEMA], userName: 'jc-test-user@example.com' },
    });
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
  });
});
