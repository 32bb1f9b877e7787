import type { JournalEvent, NewJournalEvent } from '@scim/core';
import { expect } from 'vitest';
import type { ContractTestContext, Harness } from '../harness.js';

function event(c: ContractTestContext, type: string, extra: Partial<NewJournalEvent> = {}): NewJournalEvent {
  return { id: c.newId(), tenantId: c.tenant, type, time: c.now(), ...extra };
}

const positions = (events: JournalEvent[]) => events.map((e) => e.position);
const ids = (events: JournalEvent[]) => events.map((e) => e.id);

/** The journal: append-only, positioned, queryable; sinks keep their own positions. */
export function journalTests(h: Harness): void {
  h.test(
    'events appended in a transaction are read back with every field and increasing positions',
    async (c) => {
      const full = event(c, 'scim.group.members_added', {
        resourceType: 'Group',
        resourceId: c.newId(),
        actor: 'credential-1',
        requestId: 'req-1',
        changedAttributes: ['members'],
        data: { added: ['u1', 'u2'], nested: { ok: true } },
      });
      const second = event(c, 'scim.user.provisioned');
      await c.store.transaction(c.tenant, (tx) => tx.appendEvents([full, second]));
      const third = event(c, 'scim.user.updated');
      await c.store.transaction(c.tenant, async (tx) => {
        await tx.appendEvents([third]);
      });
      const read = await c.store.readJournal({ tenantId: c.tenant });
      expect(ids(read)).toEqual([full.id, second.id, third.id]);
      expect(read[0]).toEqual({ ...full, position: read[0]!.position });
      const [p1, p2, p3] = positions(read) as [number, number, number];
      expect(p1).toBeGreaterThan(0);
      expect(p2).toBeGreaterThan(p1);
      expect(p3).toBeGreaterThan(p2);
    },
  );

  h.test(
    'positions increase strictly in commit order across tenants and parallel transactions',
    async (c) => {
      const tenants = [c.tenant, c.newTenant(), c.newTenant()];
      await Promise.all(
        Array.from({ length: 12 }, (_, index) => {
          const tenantId = tenants[index % 3]!;
          return c.store.transaction(tenantId, (tx) =>
            tx.appendEvents([
              { id: c.newId(), tenantId, type: 'scim.user.updated', time: c.now() },
              { id: c.newId(), tenantId, type: 'scim.role.changed', time: c.now() },
            ]),
          );
        }),
      );
      const all = (await Promise.all(tenants.map((tenantId) => c.store.readJournal({ tenantId })))).flat();
      expect(all).toHaveLength(24);
      const sortedPositions = positions(all).sort((a, b) => a - b);
      expect(new Set(sortedPositions).size).toBe(24);
      for (const tenantId of tenants) {
        const own = await c.store.readJournal({ tenantId });
        const ownPositions = positions(own);
        expect(ownPositions).toEqual([...ownPositions].sort((a, b) => a - b));
      }
    },
  );

  h.test('readJournal filters by types (exact and prefix*), resourceId and time range', async (c) => {
    const userId = c.newId();
    const e1 = event(c, 'scim.user.provisioned', {
      resourceType: 'User',
      resourceId: userId,
      time: '2025-01-01T00:00:00.000Z',
    });
    const e2 = event(c, 'scim.user.updated', {
      resourceType: 'User',
      resourceId: userId,
      time: '2025-01-02T00:00:00.000Z',
    });
    const e3 = event(c, 'scim.group.created', {
      resourceType: 'Group',
      resourceId: c.newId(),
      time: '2025-01-03T00:00:00.000Z',
    });
    const e4 = event(c, 'admin.token.issued', { time: '2025-01-04T00:00:00.000Z' });
    const e5 = event(c, 'scim.userish', { time: '2025-01-05T00:00:00.000Z' });
    await c.store.transaction(c.tenant, (tx) => tx.appendEvents([e1, e2, e3, e4, e5]));
    const read = (query: Omit<Parameters<typeof c.store.readJournal>[0], 'tenantId'>) =>
      c.store.readJournal({ tenantId: c.tenant, ...query }).then(ids);

    expect(await read({ types: ['scim.user.*'] })).toEqual([e1.id, e2.id]);
    expect(await read({ types: ['scim.group.created', 'admin.token.issued'] })).toEqual([e3.id, e4.id]);
    expect(await read({ types: ['scim.*'] })).toEqual([e1.id, e2.id, e3.id, e5.id]);
    expect(await read({ types: ['scim.user'] }), 'an exact type does not match by prefix').toEqual([]);
    expect(await read({ resourceId: userId })).toEqual([e1.id, e2.id]);
    expect(await read({ since: '2025-01-02T00:00:00.000Z', until: '2025-01-04T00:00:00.000Z' })).toEqual([
      e2.id,
      e3.id,
    ]);
    expect(await read({ since: '2025-01-04T00:00:00.000Z' })).toEqual([e4.id, e5.id]);
    expect(await read({ types: ['scim.user.*'], until: '2025-01-02T00:00:00.000Z' })).toEqual([e1.id]);
  });

  h.test('readJournal pages by position in both orders, with limit (default 100)', async (c) => {
    const batch = Array.from({ length: 120 }, (_, index) => event(c, `scim.test.e${index}`));
    await c.store.transaction(c.tenant, (tx) => tx.appendEvents(batch));
    const all = await c.store.readJournal({ tenantId: c.tenant, limit: 1000 });
    expect(ids(all)).toEqual(ids(batch as JournalEvent[]));
    expect(await c.store.readJournal({ tenantId: c.tenant })).toHaveLength(100);

    const p = positions(all);
    const after = await c.store.readJournal({ tenantId: c.tenant, afterPosition: p[9]!, limit: 5 });
    expect(positions(after)).toEqual(p.slice(10, 15));
    const newest = await c.store.readJournal({ tenantId: c.tenant, order: 'descending', limit: 3 });
    expect(positions(newest)).toEqual([p[119], p[118], p[117]]);
    const before = await c.store.readJournal({
      tenantId: c.tenant,
      order: 'descending',
      beforePosition: p[117]!,
      limit: 2,
    });
    expect(positions(before)).toEqual([p[116], p[115]]);
    const window = await c.store.readJournal({
      tenantId: c.tenant,
      afterPosition: p[2]!,
      beforePosition: p[6]!,
    });
    expect(positions(window)).toEqual(p.slice(3, 6));
    const forwardAll: number[] = [];
    let cursor = 0;
    for (;;) {
      const page = await c.store.readJournal({ tenantId: c.tenant, afterPosition: cursor, limit: 50 });
      if (page.length === 0) break;
      forwardAll.push(...positions(page));
      cursor = page.at(-1)!.position;
    }
    expect(forwardAll).toEqual(p);
  });

  h.test('readJournal without a tenant reads across tenants (the outbox view)', async (c) => {
    const tenantB = c.newTenant();
    await c.store.transaction(c.tenant, (tx) => tx.appendEvents([event(c, 'scim.user.provisioned')]));
    await c.store.transaction(tenantB, (tx) =>
      tx.appendEvents([{ id: c.newId(), tenantId: tenantB, type: 'scim.user.provisioned', time: c.now() }]),
    );
    const all = await c.store.readJournal({ afterPosition: 0, limit: 1000 });
    const mine = all.filter((e) => e.tenantId === c.tenant || e.tenantId === tenantB);
    expect(mine.map((e) => e.tenantId)).toEqual([c.tenant, tenantB]);
  });

  h.test('sink positions start at 0 and are kept per sink', async (c) => {
    const sinkA = `sink-${c.newId()}`;
    const sinkB = `sink-${c.newId()}`;
    expect(await c.store.getSinkPosition(sinkA)).toBe(0);
    await c.store.setSinkPosition(sinkA, 17);
    await c.store.setSinkPosition(sinkB, 3);
    await c.store.setSinkPosition(sinkA, 42);
    expect(await c.store.getSinkPosition(sinkA)).toBe(42);
    expect(await c.store.getSinkPosition(sinkB)).toBe(3);
  });

  h.test('sink positions never move backwards (processes sharing a sink cannot rewind it)', async (c) => {
    const sink = `sink-${c.newId()}`;
    await c.store.setSinkPosition(sink, 40);
    await c.store.setSinkPosition(sink, 12);
    expect(await c.store.getSinkPosition(sink)).toBe(40);
    await Promise.all([c.store.setSinkPosition(sink, 55), c.store.setSinkPosition(sink, 50)]);
    expect(await c.store.getSinkPosition(sink)).toBe(55);
  });
}
