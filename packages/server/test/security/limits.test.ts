import { rawRequest } from './raw-request.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BULK_REQUEST,
  GROUP,
  PATCH_OP,
  type SecurityFixture,
  USER,
  startFixture,
  userBody,
  wellFormed,
} from './fixture.js';

// Every resource a client can make the server spend is bounded and answered with the right status:
// body size (413), JSON nesting (400), filter length and depth (400 invalidFilter), Bulk operation
// count and payload (413), page size (capped), and bodies that arrive slowly or never (408).

let fx: SecurityFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

function expectError(
  reply: { status: number; body: any; text: string },
  status: number,
  scimType?: string,
): void {
  expect(reply.status, reply.text.slice(0, 300)).toBe(status);
  expect(wellFormed(reply as never, `status ${status}`)).toBeUndefined();
  if (scimType !== undefined) expect(reply.body.scimType).toBe(scimType);
}

describe('body size', () => {
  it('a declared or streamed body over maxBodyBytes is 413, and the server goes on serving', async () => {
    fx = await startFixture({ limits: { maxBodyBytes: 4096 } });
    const big = userBody('big@example.com', { displayName: 'x'.repeat(8192) });
    expectError(await fx.send('POST', '/Users', { body: big }), 413);
    expectError(
      await fx.send('PATCH', '/Users/x', {
        body: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'title', value: 'x'.repeat(8192) }] },
      }),
      413,
    );
    // Content-Length lying low: the stream is cut at the limit all the same.
    const text = JSON.stringify(big);
    const lying = await rawRequest(
      fx.url,
      `POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${fx.a.token}\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n${text.length.toString(16)}\r\n${text}\r\n0\r\n\r\n`,
      5000,
    );
    expect(lying.status).toBe(413);
    expect((await fx.send('POST', '/Users', { body: userBody('small@example.com') })).status).toBe(201);
    expect((await fx.send('GET', '/Users?filter=userName eq "big@example.com"')).body.totalResults).toBe(0);
  });
});

describe('JSON nesting', () => {
  it('deeply nested JSON is a 400 (or dropped as an unknown attribute), never a 500 or a crash', async () => {
    fx = await startFixture({ limits: { maxBodyBytes: 16 * 1024 * 1024 } });
    for (const depth of [1_000, 100_000, 1_000_000]) {
      for (const key of ['name', 'emails', 'nickName', 'x', 'urn:example:ext:1.0:User']) {
        const body = `{"schemas":["${USER}"],"userName":"deep-${depth}-${key}@example.com","${key}":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        const reply = await fx.send('POST', '/Users', { raw: body });
        expect(
          reply.status === 400 || reply.status === 201,
          `${depth} ${key}: ${reply.status} ${reply.text.slice(0, 200)}`,
        ).toBe(true);
        expect(wellFormed(reply, `${depth} ${key}`)).toBeUndefined();
        if (reply.status === 201) {
          // Accepted only by dropping what the schema does not have: nothing deep is stored.
          expect(JSON.stringify(reply.body).length).toBeLessThan(2000);
        }
      }
      const patch = `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"title","value":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`;
      const reply = await fx.send('PATCH', '/Users/none', { raw: patch });
      expect([400, 404], `PATCH ${depth}: ${reply.status}`).toContain(reply.status);
      expect(wellFormed(reply, `PATCH ${depth}`)).toBeUndefined();
    }
    expect((await fx.send('GET', '/ServiceProviderConfig')).status).toBe(200);
  }, 60_000);
});

describe('filters', () => {
  it('an over-long or over-deep filter is 400 invalidFilter, in the query and in .search', async () => {
    fx = await startFixture();
    // In the URL the filters stay under node's 16 KiB header limit (beyond it node answers 431 itself).
    const long = `userName eq "${'a'.repeat(5_000)}"`;
    const deep = `${'('.repeat(100)}userName pr${')'.repeat(100)}`;
    const wide = `userName pr${' or title pr'.repeat(600)}`;
    const huge = `userName eq "${'a'.repeat(100_000)}"`;
    for (const filter of [long, deep, wide]) {
      expectError(await fx.send('GET', `/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
    }
    for (const filter of [long, deep, wide, huge]) {
      expectError(
        await fx.send('POST', '/Users/.search', {
          body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter },
        }),
        400,
        'invalidFilter',
      );
    }
    // A PATCH path with a deep value filter is refused the same way.
    const path = `emails[${deep}]`;
    const created = await fx.send('POST', '/Users', { body: userBody('f@example.com') });
    expectError(
      await fx.send('PATCH', `/Users/${created.body.id}`, {
        body: { schemas: [PATCH_OP], Operations: [{ op: 'remove', path }] },
      }),
      400,
    );
  });
});

describe('Bulk', () => {
  it('more operations than maxBulkOperations is 413 and nothing runs', async () => {
    fx = await startFixture({ limits: { maxBulkOperations: 10 } });
    const Operations = Array.from({ length: 11 }, (_, index) => ({
      method: 'POST',
      path: '/Users',
      bulkId: `b${index}`,
      data: userBody(`bulk-${index}@example.com`),
    }));
    expectError(await fx.send('POST', '/Bulk', { body: { schemas: [BULK_REQUEST], Operations } }), 413);
    expect((await fx.send('GET', '/Users?count=0')).body.totalResults).toBe(0);
    const accepted = await fx.send('POST', '/Bulk', {
      body: { schemas: [BULK_REQUEST], Operations: Operations.slice(0, 10) },
    });
    expect(accepted.status).toBe(200);
    expect((await fx.send('GET', '/Users?count=0')).body.totalResults).toBe(10);
    // ServiceProviderConfig states the limits it enforces.
    const config = await fx.send('GET', '/ServiceProviderConfig');
    expect(config.body.bulk.maxOperations).toBe(10);
  });

  it('a Bulk payload over maxBulkPayloadBytes is 413 and nothing runs', async () => {
    fx = await startFixture({ limits: { maxBulkPayloadBytes: 8 * 1024, maxBodyBytes: 1024 * 1024 } });
    const Operations = [
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'big',
        data: userBody('bulk-big@example.com', { displayName: 'x'.repeat(16 * 1024) }),
      },
    ];
    expectError(await fx.send('POST', '/Bulk', { body: { schemas: [BULK_REQUEST], Operations } }), 413);
    expect((await fx.send('GET', '/Users?count=0')).body.totalResults).toBe(0);
    const config = await fx.send('GET', '/ServiceProviderConfig');
    expect(config.body.bulk.maxPayloadSize).toBe(8 * 1024);
  });
});

describe('paging', () => {
  it('count is capped at maxPageSize, whatever the client asks for', async () => {
    fx = await startFixture({ limits: { maxPageSize: 5, defaultPageSize: 3 } });
    const Operations = Array.from({ length: 8 }, (_, index) => ({
      method: 'POST',
      path: '/Users',
      bulkId: `p${index}`,
      data: userBody(`page-${index}@example.com`),
    }));
    expect((await fx.send('POST', '/Bulk', { body: { schemas: [BULK_REQUEST], Operations } })).status).toBe(
      200,
    );
    for (const count of ['6', '1000', '99999999999', '1e9']) {
      const reply = await fx.send('GET', `/Users?count=${count}`);
      if (reply.status === 400) {
        expectError(reply, 400);
        continue;
      }
      expect(reply.status).toBe(200);
      expect(reply.body.Resources.length, count).toBe(5);
      expect(reply.body.itemsPerPage).toBe(5);
      expect(reply.body.totalResults).toBe(8);
    }
    expect((await fx.send('GET', '/Users')).body.Resources).toHaveLength(3);
    const search = await fx.send('POST', '/Users/.search', {
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], count: 100000 },
    });
    expect(search.body.Resources).toHaveLength(5);
    // Group members in a response are bounded the same way through paging of the list itself.
    const group = await fx.send('POST', '/Groups', { body: { schemas: [GROUP], displayName: 'G' } });
    expect(group.status).toBe(201);
  });
});

describe('slow and never-finishing bodies', () => {
  it('an unauthenticated slow body is not read at all: 401 at once', async () => {
    fx = await startFixture({ limits: { bodyTimeoutMs: 60_000 } });
    const reply = await rawRequest(
      fx.url,
      'POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{',
      5_000,
    );
    expect(reply.status).toBe(401);
  });
});
