import { afterEach, describe, expect, it } from 'vitest';
import { GROUP, PATCH_OP, type SecurityFixture, startFixture, userBody } from './fixture.js';

// Concurrent requests over HTTP against one SQLite-backed server: every write lands once, uniqueness
// and If-Match are decided by the database, not by a read before the write.

let fx: SecurityFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('concurrency', () => {
  it('50 parallel member adds to one group all land', async () => {
    fx = await startFixture();
    const server = fx;
    const users = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        server.send('POST', '/Users', { body: userBody(`member-${index}@example.com`) }),
      ),
    );
    expect(users.map((reply) => reply.status)).toStrictEqual(Array(50).fill(201));
    const group = await server.send('POST', '/Groups', {
      body: { schemas: [GROUP], displayName: 'Everyone' },
    });
    expect(group.status).toBe(201);
    const adds = await Promise.all(
      users.map((user) =>
        server.send('PATCH', `/Groups/${group.body.id}`, {
          body: {
            schemas: [PATCH_OP],
            Operations: [{ op: 'add', path: 'members', value: [{ value: user.body.id }] }],
          },
        }),
      ),
    );
    expect(
      adds.map((reply) => reply.status).filter((status) => status !== 200 && status !== 204),
    ).toStrictEqual([]);
    const ids = users.map((user) => user.body.id).sort();
    expect(
      (await server.store.listMembers(fx.a.id, group.body.id, { limit: 100 })).members
        .map((m) => m.value)
        .sort(),
    ).toStrictEqual(ids);
    expect(await server.store.countMembers(fx.a.id, group.body.id)).toBe(50);
    const filtered = await server.send(
      'GET',
      `/Groups?filter=${encodeURIComponent(`members.value eq "${ids[17]}"`)}`,
    );
    expect(filtered.body.totalResults).toBe(1);
    // One journal event per effective add: every member id exactly once, none lost, none doubled.
    const events = await server.store.readJournal({ tenantId: fx.a.id, types: ['scim.group.members_added'] });
    const added = events.flatMap((event) => (event.data?.memberIds as string[] | undefined) ?? []);
    expect(added.sort()).toStrictEqual(ids);
  });

  it('parallel creates of one userName give exactly one 201 and 409 uniqueness for the rest', async () => {
    fx = await startFixture();
    const server = fx;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        // Differently cased: userName is unique case-insensitively.
        server.send('POST', '/Users', {
          body: userBody(index % 2 === 0 ? 'Same.Person@example.com' : 'same.person@EXAMPLE.com'),
        }),
      ),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    for (const reply of replies.filter((r) => r.status === 409))
      expect(reply.body.scimType).toBe('uniqueness');
    const list = await server.send(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "same.person@example.com"')}`,
    );
    expect(list.body.totalResults).toBe(1);
  });

  it('parallel PATCHes with the same If-Match give exactly one success and 412 for the rest', async () => {
    fx = await startFixture();
    const server = fx;
    const created = await server.send('POST', '/Users', { body: userBody('etag@example.com') });
    const etag = created.headers.get('etag') ?? created.body.meta.version;
    expect(etag).toMatch(/^W\/"/);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        server.send('PATCH', `/Users/${created.body.id}`, {
          headers: { 'if-match': etag },
          body: {
            schemas: [PATCH_OP],
            Operations: [{ op: 'replace', path: 'title', value: `writer ${index}` }],
          },
        }),
      ),
    );
    const winners = replies.filter((reply) => reply.status === 200 || reply.status === 204);
    expect(winners).toHaveLength(1);
    expect(replies.filter((reply) => reply.status === 412)).toHaveLength(19);
    const after = await server.send('GET', `/Users/${created.body.id}`);
    const winnerTitle = JSON.parse(winners[0]?.text || 'null')?.title;
    if (winnerTitle !== undefined) expect(after.body.title).toBe(winnerTitle);
    expect(after.body.title).toMatch(/^writer \d+$/);
    // Exactly one version step: one write won.
    const stored = await server.store.getResource(fx.a.id, 'User', created.body.id);
    expect(stored?.version).toBe(2);
  });
});
