import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_REQUEST, GROUP, PATCH_OP, type SecurityFixture, startFixture, userBody } from './fixture.js';

// Two tenants on one server and one database. Tenant A knows (or guesses) every id of tenant B and
// tries every way in: read, filter, search, PUT, PATCH, DELETE, Bulk paths and bulk references,
// adding B's user to its own group, cursors. None of it may read, change or link B's data.

let fx: SecurityFixture;
let bUser: { id: string; userName: string };
let bGroup: { id: string };
let aGroup: { id: string };
let bSnapshot: string;

const asB = () => ({ token: fx.b.token });

async function snapshotB(): Promise<string> {
  const users = await fx.send('GET', '/Users?count=100&sortBy=userName', asB());
  const groups = await fx.send('GET', '/Groups?count=100', asB());
  const user = await fx.send('GET', `/Users/${bUser.id}`, asB());
  return JSON.stringify([users.body, groups.body, user.body]);
}

beforeAll(async () => {
  fx = await startFixture();
  const user = await fx.send('POST', '/Users', {
    ...asB(),
    body: userBody('secret.b@example.com', {
      externalId: 'b-ext',
      emails: [{ value: 'secret.b@example.com', type: 'work' }],
    }),
  });
  expect(user.status).toBe(201);
  bUser = { id: user.body.id, userName: user.body.userName };
  const group = await fx.send('POST', '/Groups', {
    ...asB(),
    body: { schemas: [GROUP], displayName: 'B Admins', members: [{ value: bUser.id }] },
  });
  expect(group.status).toBe(201);
  bGroup = { id: group.body.id };
  const mine = await fx.send('POST', '/Groups', { body: { schemas: [GROUP], displayName: 'A Team' } });
  expect(mine.status).toBe(201);
  aGroup = { id: mine.body.id };
  bSnapshot = await snapshotB();
});

afterAll(async () => {
  await fx?.close();
});

describe("tenant A against tenant B's resources", () => {
  it('reads by id are 404, as for an id that does not exist', async () => {
    for (const path of [`/Users/${bUser.id}`, `/Groups/${bGroup.id}`, `/Users/${bGroup.id}`]) {
      const reply = await fx.send('GET', path);
      expect(reply.status, path).toBe(404);
      // The answer must not differ from a plain miss (no oracle for "exists elsewhere").
      const miss = await fx.send('GET', path.replace(/[^/]+$/, '00000000-0000-4000-8000-000000000000'));
      expect(reply.body.detail.replace(/[0-9a-f-]{36}/g, 'ID')).toBe(
        miss.body.detail.replace(/[0-9a-f-]{36}/g, 'ID'),
      );
    }
  });

  it('filters and searches find nothing of B', async () => {
    for (const filter of [
      `id eq "${bUser.id}"`,
      `userName eq "${bUser.userName}"`,
      'userName sw "secret"',
      'externalId eq "b-ext"',
      'emails.value co "secret.b"',
      `groups.value eq "${bGroup.id}"`,
      'userName pr',
    ]) {
      const reply = await fx.send('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(reply.status, filter).toBe(200);
      expect(reply.body.totalResults, filter).toBe(0);
    }
    for (const filter of [
      `members.value eq "${bUser.id}"`,
      'displayName eq "B Admins"',
      `id eq "${bGroup.id}"`,
    ]) {
      const reply = await fx.send('GET', `/Groups?filter=${encodeURIComponent(filter)}`);
      expect(reply.body.totalResults, filter).toBe(0);
    }
    const search = await fx.send('POST', '/Users/.search', {
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName sw "s"' },
    });
    expect(search.body.totalResults).toBe(0);
    const root = await fx.send('POST', '/.search', {
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: `id eq "${bUser.id}"`,
      },
    });
    expect([200, 400, 404, 501]).toContain(root.status);
    if (root.status === 200) expect(root.body.totalResults).toBe(0);
  });

  it('PUT, PATCH and DELETE by id are 404 and change nothing', async () => {
    expect(
      (await fx.send('PUT', `/Users/${bUser.id}`, { body: userBody('stolen@example.com') })).status,
    ).toBe(404);
    expect(
      (
        await fx.send('PATCH', `/Users/${bUser.id}`, {
          body: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await fx.send('PATCH', `/Groups/${bGroup.id}`, {
          body: { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members' }] },
        })
      ).status,
    ).toBe(404);
    expect((await fx.send('DELETE', `/Users/${bUser.id}`)).status).toBe(404);
    expect((await fx.send('DELETE', `/Groups/${bGroup.id}`)).status).toBe(404);
    expect(await snapshotB()).toBe(bSnapshot);
  });

  it("adding B's user as a member of A's group is refused and links nothing", async () => {
    const patch = await fx.send('PATCH', `/Groups/${aGroup.id}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: [{ value: bUser.id }] }],
      },
    });
    expect(patch.status, patch.text).toBeGreaterThanOrEqual(400);
    expect(patch.status).toBeLessThan(500);
    const create = await fx.send('POST', '/Groups', {
      body: { schemas: [GROUP], displayName: 'Sneaky', members: [{ value: bUser.id }, { value: bGroup.id }] },
    });
    expect(create.status, create.text).toBeGreaterThanOrEqual(400);
    expect(create.status).toBeLessThan(500);
    const put = await fx.send('PUT', `/Groups/${aGroup.id}`, {
      body: { schemas: [GROUP], displayName: 'A Team', members: [{ value: bUser.id }] },
    });
    expect(put.status, put.text).toBeGreaterThanOrEqual(400);
    const group = await fx.send('GET', `/Groups/${aGroup.id}`);
    expect(group.body.members ?? []).toStrictEqual([]);
    const bView = await fx.send('GET', `/Users/${bUser.id}`, asB());
    expect(bView.body.groups.map((g: { value: string }) => g.value)).toStrictEqual([bGroup.id]);
    expect(await snapshotB()).toBe(bSnapshot);
  });

  it("Bulk operations addressing B's ids fail per operation and bulk references never reach B", async () => {
    const reply = await fx.send('POST', '/Bulk', {
      body: {
        schemas: [BULK_REQUEST],
        Operations: [
          {
            method: 'PATCH',
            path: `/Users/${bUser.id}`,
            data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
          },
          { method: 'PUT', path: `/Users/${bUser.id}`, data: userBody('stolen@example.com') },
          { method: 'DELETE', path: `/Groups/${bGroup.id}` },
          {
            method: 'POST',
            path: '/Groups',
            bulkId: 'g',
            data: { schemas: [GROUP], displayName: 'Bulk Sneaky', members: [{ value: bUser.id }] },
          },
          { method: 'POST', path: '/Users', bulkId: 'u', data: userBody('bulk.a@example.com') },
          {
            method: 'PATCH',
            path: `/Groups/${bGroup.id}`,
            data: {
              schemas: [PATCH_OP],
              Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u' }] }],
            },
          },
        ],
      },
    });
    expect(reply.status).toBe(200);
    const statuses = reply.body.Operations.map((op: { status: string }) => Number(op.status));
    expect(statuses[0]).toBe(404);
    expect(statuses[1]).toBe(404);
    expect(statuses[2]).toBe(404);
    expect(statuses[3]).toBeGreaterThanOrEqual(400);
    expect(statuses[4]).toBe(201);
    expect(statuses[5]).toBe(404);
    expect(await snapshotB()).toBe(bSnapshot);
  });

  it('guessed ids are all 404, and a cursor of B replayed by A pages only A', async () => {
    for (let i = 0; i < 30; i += 1) {
      const guess = i < 10 ? `${bUser.id.slice(0, -1)}${i}` : crypto.randomUUID();
      expect((await fx.send('GET', `/Users/${guess}`)).status).toBe(404);
    }
    const first = await fx.send('GET', '/Users?cursor=&count=1', asB());
    if (first.status === 200 && typeof first.body.nextCursor === 'string') {
      const replay = await fx.send(
        'GET',
        `/Users?cursor=${encodeURIComponent(first.body.nextCursor)}&count=100`,
      );
      if (replay.status === 200) {
        for (const resource of replay.body.Resources) expect(resource.userName).not.toBe(bUser.userName);
      } else {
        expect(replay.status).toBe(400);
      }
    }
  });

  it("A's token never authenticates as B, and B's data is byte-for-byte unchanged at the end", async () => {
    const list = await fx.send('GET', '/Users?count=100');
    expect(list.body.Resources.every((user: { userName: string }) => user.userName !== bUser.userName)).toBe(
      true,
    );
    expect(await snapshotB()).toBe(bSnapshot);
    const raw = await fx.store.getResource(fx.b.id, 'User', bUser.id);
    expect(raw?.version).toBe(1);
  });
});
