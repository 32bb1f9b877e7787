import { existsSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/index.js';
import {
  BULK_REQUEST,
  GROUP,
  PATCH_OP,
  type Reply,
  type SecurityFixture,
  startFixture,
  USER,
  userBody,
} from './security/fixture.js';

// A User password sent by the IdP, over real HTTP against @scim/store-sqlite on a temp file: with
// policies.passwords 'discard' (the default) it never reaches the store; with 'hash' the store
// holds only a salted scrypt hash. Either way no plaintext is anywhere in the database file, and
// no response carries the password or its hash.

const URN_PASSWORD = `${USER}:password`;

/** The `data` JSON of a User as SQLite holds it, read on a connection of its own. */
function rawData(fx: SecurityFixture, id: string): Record<string, unknown> {
  const database = new DatabaseSync(fx.databasePath, { readOnly: true });
  try {
    const row = database
      .prepare(`SELECT data FROM resources WHERE tenant_id = ? AND resource_type = 'User' AND id = ?`)
      .get(fx.a.id, id) as { data: string } | undefined;
    expect(row, `no row for User ${id}`).toBeDefined();
    return JSON.parse(row!.data) as Record<string, unknown>;
  } finally {
    database.close();
  }
}

/** Every byte SQLite wrote: the database file and its write-ahead log. */
function databaseBytes(fx: SecurityFixture): Buffer {
  const files = [fx.databasePath, `${fx.databasePath}-wal`, `${fx.databasePath}-journal`];
  return Buffer.concat(files.filter((file) => existsSync(file)).map((file) => readFileSync(file)));
}

function expectNotInDatabase(fx: SecurityFixture, plaintexts: readonly string[]): void {
  const bytes = databaseBytes(fx);
  expect(bytes.byteLength).toBeGreaterThan(0);
  for (const plain of plaintexts) {
    expect(bytes.includes(Buffer.from(plain, 'utf8')), `"${plain}" is in the database file`).toBe(false);
  }
}

function expectOk(reply: Reply, status = 200): void {
  expect(reply.status, reply.text).toBe(status);
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** The `scim.user.updated` events of a user, newest last. */
async function updates(fx: SecurityFixture, id: string) {
  const events = await fx.store.readJournal({
    tenantId: fx.a.id,
    resourceId: id,
    types: ['scim.user.updated'],
  });
  return events.map((event) => event.changedAttributes ?? []);
}

/**
 * One password change through each way an IdP sends it: POST, PUT and four PATCH forms. Each step
 * returns the user id, the plaintext it sent and the response.
 */
interface Step {
  name: string;
  run: (fx: SecurityFixture, id: string, password: string) => Promise<Reply>;
}

const STEPS: Step[] = [
  {
    name: 'PUT with password',
    run: (fx, id, password) =>
      fx.send('PUT', `/Users/${id}`, { body: userBody('pw.user@example.com', { password }) }),
  },
  {
    name: 'PATCH path "password"',
    run: (fx, id, password) =>
      fx.send('PATCH', `/Users/${id}`, { body: patch({ op: 'replace', path: 'password', value: password }) }),
  },
  {
    name: 'PATCH URN path',
    run: (fx, id, password) =>
      fx.send('PATCH', `/Users/${id}`, {
        body: patch({
          op: 'Replace',
          path: URN_PASSWORD.toUpperCase().replace('URN:', 'urn:'),
          value: password,
        }),
      }),
  },
  {
    name: 'PATCH without path (Okta)',
    run: (fx, id, password) =>
      fx.send('PATCH', `/Users/${id}`, { body: patch({ op: 'replace', value: { password } }) }),
  },
  {
    name: "PATCH without path, Entra's URN-prefixed key",
    run: (fx, id, password) =>
      fx.send('PATCH', `/Users/${id}`, {
        body: patch({ op: 'Replace', value: { [URN_PASSWORD]: password, 'name.givenName': 'Entra' } }),
      }),
  },
];

async function bulk(fx: SecurityFixture, operations: unknown[]): Promise<Reply> {
  const reply = await fx.send('POST', '/Bulk', { body: { schemas: [BULK_REQUEST], Operations: operations } });
  expectOk(reply);
  for (const result of reply.body.Operations as { status: string; response?: unknown }[]) {
    expect(Number(result.status), JSON.stringify(result)).toBeLessThan(300);
  }
  return reply;
}

describe("policies.passwords: 'discard' (the default)", () => {
  let fx: SecurityFixture;
  const sent: string[] = [];
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('POST keeps no password and never answers one', async () => {
    const created = await fx.send('POST', '/Users', {
      body: userBody('pw.user@example.com', { password: 'discard-post-Pw1' }),
    });
    sent.push('discard-post-Pw1');
    expectOk(created, 201);
    expect(created.text).not.toContain('discard-post-Pw1');
    expect(rawData(fx, created.body.id)).not.toHaveProperty('password');
    expect(rawData(fx, created.body.id).userName).toBe('pw.user@example.com');
  });

  it('PUT and every PATCH form keep no password; a password-only PATCH is no change in the journal', async () => {
    const id = (await fx.send('GET', '/Users?filter=userName eq "pw.user@example.com"')).body.Resources[0].id;
    for (const [index, step] of STEPS.entries()) {
      const password = `discard-${index}-Pw!`;
      sent.push(password);
      const reply = await step.run(fx, id, password);
      expectOk(reply);
      expect(reply.text, step.name).not.toContain(password);
      expect(rawData(fx, id), step.name).not.toHaveProperty('password');
    }
    const changes = await updates(fx, id);
    // Only the Entra step changed something else (name.givenName): the password-only writes
    // journalled no update at all, and no update lists password.
    expect(changes).toEqual([['name.givenName']]);
    expectNotInDatabase(fx, sent);
  });

  it('/Bulk POST (batched), PUT and PATCH keep no password', async () => {
    const reply = await bulk(fx, [
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'b1',
        data: userBody('bulk.discard@example.com', { password: 'discard-bulk-post' }),
      },
      {
        method: 'PUT',
        path: '/Users/bulkId:b1',
        data: userBody('bulk.discard@example.com', { password: 'discard-bulk-put' }),
      },
      {
        method: 'PATCH',
        path: '/Users/bulkId:b1',
        data: patch({ op: 'add', value: { Password: 'discard-bulk-patch' } }),
      },
    ]);
    sent.push('discard-bulk-post', 'discard-bulk-put', 'discard-bulk-patch');
    const id = (reply.body.Operations[0].location as string).split('/').pop()!;
    expect(rawData(fx, id)).not.toHaveProperty('password');
    expect(reply.text).not.toMatch(/discard-bulk/);
    expectNotInDatabase(fx, sent);
    expect(fx.logText()).not.toMatch(/discard-(bulk|post|\d)/);
  });
});

describe("policies.passwords: 'hash'", () => {
  let fx: SecurityFixture;
  const sent: string[] = [];
  let id: string;
  beforeAll(async () => {
    fx = await startFixture({ policies: { passwords: 'hash' } });
  });
  afterAll(async () => {
    await fx.close();
  });

  async function expectHashOf(userId: string, password: string): Promise<string> {
    const stored = rawData(fx, userId).password;
    expect(typeof stored).toBe('string');
    expect(stored as string).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[^$]+\$[^$]+$/);
    expect(await verifyPassword(stored as string, password)).toBe(true);
    expect(await verifyPassword(stored as string, `${password}x`)).toBe(false);
    return stored as string;
  }

  it('POST stores a salted scrypt hash that verifies, never the plaintext; answers neither', async () => {
    const created = await fx.send('POST', '/Users', {
      body: userBody('pw.user@example.com', { password: 'hash-post-Pw1' }),
    });
    sent.push('hash-post-Pw1');
    expectOk(created, 201);
    id = created.body.id;
    const hash = await expectHashOf(id, 'hash-post-Pw1');
    expect(created.text).not.toContain('hash-post-Pw1');
    expect(created.text).not.toContain('$scrypt$');
    const read = await fx.send('GET', `/Users/${id}?attributes=password,userName`);
    expect(read.text).not.toContain('$scrypt$');
    // The host's view through the store: the hash, for verifyPassword.
    const stored = await fx.store.getResource(fx.a.id, 'User', id);
    expect(stored?.data.password).toBe(hash);
    expectNotInDatabase(fx, sent);
  });

  it('a PUT without password keeps the stored hash; one that round-trips it keeps it too', async () => {
    const before = rawData(fx, id).password as string;
    const put = await fx.send('PUT', `/Users/${id}`, {
      body: userBody('pw.user@example.com', { displayName: 'Renamed' }),
    });
    expectOk(put);
    expect(rawData(fx, id).password).toBe(before);
    const roundTrip = await fx.send('PUT', `/Users/${id}`, {
      body: userBody('pw.user@example.com', { displayName: 'Again', password: before }),
    });
    expectOk(roundTrip);
    expect(rawData(fx, id).password).toBe(before);
    expect(await verifyPassword(before, 'hash-post-Pw1')).toBe(true);
    // Neither write changed the password, so the journal does not say so.
    expect((await updates(fx, id)).flat()).not.toContain('password');
  });

  it('PUT and every PATCH form replace the hash with one of the new password; the journal names password', async () => {
    let previous = rawData(fx, id).password as string;
    let previousPassword = 'hash-post-Pw1';
    for (const [index, step] of STEPS.entries()) {
      const password = `hash-${index}-Pw!`;
      sent.push(password);
      const reply = await step.run(fx, id, password);
      expectOk(reply);
      expect(reply.text, step.name).not.toContain(password);
      expect(reply.text, step.name).not.toContain('$scrypt$');
      const current = await expectHashOf(id, password);
      expect(current, step.name).not.toBe(previous);
      expect(await verifyPassword(current, previousPassword), step.name).toBe(false);
      previous = current;
      previousPassword = password;
    }
    const changes = await updates(fx, id);
    expect(changes.filter((changed) => changed.includes('password')).length).toBeGreaterThanOrEqual(
      STEPS.length,
    );
    const journal = JSON.stringify(await fx.store.readJournal({ tenantId: fx.a.id, resourceId: id }));
    expect(journal).not.toContain('$scrypt$');
    for (const password of sent) expect(journal).not.toContain(password);
    expectNotInDatabase(fx, sent);
  });

  it('/Bulk POST (batched), PUT and PATCH store hashes computed before the batch', async () => {
    const reply = await bulk(fx, [
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'u1',
        data: userBody('bulk.one@example.com', { password: 'hash-bulk-post-1' }),
      },
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'u2',
        data: userBody('bulk.two@example.com', { [URN_PASSWORD]: 'hash-bulk-post-2' }),
      },
      {
        method: 'PUT',
        path: '/Users/bulkId:u1',
        data: userBody('bulk.one@example.com', { password: 'hash-bulk-put' }),
      },
      {
        method: 'PATCH',
        path: '/Users/bulkId:u2',
        data: patch({ op: 'replace', path: 'password', value: 'hash-bulk-patch' }),
      },
    ]);
    sent.push('hash-bulk-post-1', 'hash-bulk-post-2', 'hash-bulk-put', 'hash-bulk-patch');
    const [one, two] = [0, 1].map((i) => (reply.body.Operations[i].location as string).split('/').pop()!);
    await expectHashOf(one!, 'hash-bulk-put');
    await expectHashOf(two!, 'hash-bulk-patch');
    expect(reply.text).not.toMatch(/hash-bulk|\$scrypt\$/);
    expectNotInDatabase(fx, sent);
    // Everything was hashed by the pre-passes, none inside a transaction.
    expect(fx.logText()).not.toContain('password hashed inside the write transaction');
  });

  it('a password the pre-pass could not see (rewritten by bulkId substitution) is still hashed in the write', async () => {
    // The bulk pre-pass hashes the text as sent; the batched POST then carries "…bulkId:g1"
    // replaced by the group's id, which no pre-pass hashed: the write falls back to scryptSync.
    const reply = await bulk(fx, [
      { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: [GROUP], displayName: 'Fallback' } },
      {
        method: 'POST',
        path: '/Users',
        bulkId: 'u3',
        data: userBody('bulk.fallback@example.com', { password: 'fallback-bulkId:g1' }),
      },
    ]);
    const groupId = (reply.body.Operations[0].location as string).split('/').pop()!;
    const userId = (reply.body.Operations[1].location as string).split('/').pop()!;
    const password = `fallback-${groupId}`;
    await expectHashOf(userId, password);
    expect(fx.logText()).toContain('password hashed inside the write transaction');
    expect(fx.logText()).not.toContain(password);
    expectNotInDatabase(fx, [password]);
  });
});

describe('filtering and sorting on password', () => {
  let fx: SecurityFixture;
  beforeAll(async () => {
    fx = await startFixture({ policies: { passwords: 'hash' } });
    expectOk(
      await fx.send('POST', '/Users', { body: userBody('f@example.com', { password: 'guess-me' }) }),
      201,
    );
  });
  afterAll(async () => {
    await fx.close();
  });

  it.each([
    'password eq "guess-me"',
    'password pr',
    'PASSWORD sw "g"',
    'not (password eq "x")',
    'userName eq "f@example.com" and password co "guess"',
    `${URN_PASSWORD} eq "guess-me"`,
  ])('GET ?filter=%s is 400 invalidFilter', async (filter) => {
    const reply = await fx.send('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    expect(reply.body.detail).toMatch(/password is never returned/);
  });

  it('POST /Users/.search and POST /.search with a password filter are 400 invalidFilter', async () => {
    for (const path of ['/Users/.search', '/.search']) {
      const reply = await fx.send('POST', path, {
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
          filter: 'password eq "guess-me"',
        },
      });
      expect(reply.status, path).toBe(400);
      expect(reply.body.scimType, path).toBe('invalidFilter');
    }
  });

  it('sortBy=password is 400 invalidValue', async () => {
    const reply = await fx.send('GET', '/Users?sortBy=password');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(reply.body.detail).toMatch(/sortBy: password is never returned/);
  });

  it('filters on other attributes still work', async () => {
    const reply = await fx.send('GET', `/Users?filter=${encodeURIComponent('userName eq "f@example.com"')}`);
    expectOk(reply);
    expect(reply.body.totalResults).toBe(1);
  });
});
