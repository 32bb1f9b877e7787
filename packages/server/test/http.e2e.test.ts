import { StoreError } from '@scim/core';
import { createMemoryStore } from '@scim/core/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { issueBasicCredential, issueToken, revokeToken, rotateToken } from '../src/index.js';
import { startServer, type TestClient, USER_SCHEMA } from './harness.js';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

const alice = { schemas: [USER_SCHEMA], userName: 'alice@example.com' };

describe('authentication', () => {
  it('answers 401 with a Bearer challenge for a missing, wrong or revoked token', async () => {
    client = await startServer();
    const missing = await client.request('GET', '/Users', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="SCIM"/);
    expect(missing.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
    });

    const wrong = await client.request('GET', '/Users', { token: 'scim_not-a-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer realm="SCIM"');

    const [credential] = await client.store.listCredentials('acme');
    await revokeToken(client.store, 'acme', credential!.id);
    const revoked = await client.request('GET', '/Users');
    expect(revoked.status).toBe(401);
  });

  it('keeps several live tokens per tenant and lets a rotated token work until its grace period ends', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    client = await startServer({ now: () => now });
    const [old] = await client.store.listCredentials('acme');
    const rotated = await rotateToken(client.store, {
      tenantId: 'acme',
      credentialId: old!.id,
      graceSeconds: 60,
      now,
    });
    expect((await client.request('GET', '/Users')).status).toBe(200);
    expect((await client.request('GET', '/Users', { token: rotated.secret })).status).toBe(200);
    now = new Date('2030-01-01T00:02:00Z');
    expect((await client.request('GET', '/Users')).status).toBe(401);
    expect((await client.request('GET', '/Users', { token: rotated.secret })).status).toBe(200);
  });

  it('refuses an expired token', async () => {
    client = await startServer();
    const { secret } = await issueToken(client.store, {
      tenantId: 'acme',
      name: 'old',
      expiresAt: '2001-01-01T00:00:00Z',
    });
    expect((await client.request('GET', '/Users', { token: secret })).status).toBe(401);
  });

  it('accepts HTTP Basic when enabled, and only then', async () => {
    client = await startServer({ auth: { bearer: true, basic: true } });
    const { username, password } = await issueBasicCredential(client.store, {
      tenantId: 'acme',
      name: 'okta',
      username: 'okta',
    });
    const header = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const ok = await client.request('GET', '/Users', { headers: { authorization: header } });
    expect(ok.status).toBe(200);
    const bad = await client.request('GET', '/Users', {
      headers: { authorization: `Basic ${Buffer.from(`${username}:nope`).toString('base64')}` },
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('Basic realm="SCIM"');
  });

  it('never lets a token reach another tenant', async () => {
    const store = createMemoryStore();
    client = await startServer({ store, tenantId: 'acme' });
    await store.createTenant({ id: 'globex', name: 'Globex', createdAt: new Date().toISOString() });
    const globex = await issueToken(store, { tenantId: 'globex', name: 'entra' });
    const created = await client.request('POST', '/Users', { body: alice });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const asGlobex = { token: globex.secret };
    expect((await client.request('GET', `/Users/${id}`, asGlobex)).status).toBe(404);
    expect((await client.request('DELETE', `/Users/${id}`, asGlobex)).status).toBe(404);
    expect((await client.request('PUT', `/Users/${id}`, { ...asGlobex, body: alice })).status).toBe(404);
    const list = await client.request('GET', '/Users', asGlobex);
    expect(list.body.totalResults).toBe(0);
    // The same userName is free in the other tenant.
    expect((await client.request('POST', '/Users', { ...asGlobex, body: alice })).status).toBe(201);
    expect((await client.request('GET', `/Users/${id}`)).status).toBe(200);
  });
});

describe('transport errors', () => {
  it('404s unknown routes and 405s wrong methods with Allow', async () => {
    client = await startServer();
    const unknown = await client.request('GET', '/Widgets');
    expect(unknown.status).toBe(404);
    expect(unknown.body.status).toBe('404');
    const wrong = await client.request('DELETE', '/Users');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    const search = await client.request('GET', '/Users/.search');
    expect(search.status).toBe(405);
    expect(search.headers.get('allow')).toBe('POST');
    const outside = await fetch(`${client.baseUrl.replace('/scim/v2', '')}/elsewhere`);
    expect(outside.status).toBe(404);
  });

  it('answers malformed JSON with 400 invalidSyntax', async () => {
    client = await startServer();
    const response = await client.request('POST', '/Users', {
      rawBody: '{"userName": ',
      headers: { 'content-type': 'application/scim+json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect(response.body.detail).toMatch(/not valid JSON/);
    const array = await client.request('POST', '/Users', {
      rawBody: '[]',
      headers: { 'content-type': 'application/json' },
    });
    expect(array.status).toBe(400);
    const empty = await client.request('POST', '/Users', {
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.body.scimType).toBe('invalidSyntax');
  });

  it('accepts application/json requests and refuses other media types with 415', async () => {
    client = await startServer();
    const json = await client.request('POST', '/Users', {
      body: alice,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(json.status).toBe(201);
    const text = await client.request('POST', '/Users', {
      rawBody: JSON.stringify(alice),
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });

  it('refuses bodies over maxBodyBytes with 413', async () => {
    client = await startServer({ limits: { maxBodyBytes: 1000 } });
    const big = { ...alice, displayName: 'x'.repeat(2000) };
    const response = await client.request('POST', '/Users', { body: big });
    expect(response.status).toBe(413);
    expect(response.body.status).toBe('413');
    // Chunked (no Content-Length): still refused while streaming.
    const chunked = await fetch(`${client.baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/scim+json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify(big)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('rate-limits per credential with 429, Retry-After and a SCIM body', async () => {
    client = await startServer({ rateLimit: { limit: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i += 1) expect((await client.request('GET', '/Users')).status).toBe(200);
    const limited = await client.request('GET', '/Users');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: '429' });
    // Another credential has its own budget.
    const other = await issueToken(client.store, { tenantId: 'acme', name: 'second' });
    expect((await client.request('GET', '/Users', { token: other.secret })).status).toBe(200);
  });

  it('maps an unexpected failure to a generic 500 and logs the cause', async () => {
    const store = createMemoryStore();
    client = await startServer({ store });
    store.queryResources = async () => {
      throw new Error('disk on fire at /var/secret/path');
    };
    const response = await client.request('GET', '/Users');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '500',
      detail: 'Internal server error',
    });
    expect(client.logs.text()).toContain('disk on fire');
  });

  it('maps an unavailable store to 503 with Retry-After', async () => {
    const store = createMemoryStore();
    client = await startServer({ store });
    store.queryResources = async () => {
      throw new StoreError('unavailable', { detail: 'connection refused' });
    };
    const response = await client.request('GET', '/Users');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.text).not.toContain('connection refused');
  });

  it('answers /Me with 501 unless a resolver is configured', async () => {
    client = await startServer();
    const me = await client.request('GET', '/Me');
    expect(me.status).toBe(501);
    expect(me.body.status).toBe('501');
  });

  it('serves /Me through a configured resolver', async () => {
    let userId: string | undefined;
    client = await startServer({ me: async () => userId });
    userId = (await client.request('POST', '/Users', { body: alice })).body.id;
    const me = await client.request('GET', '/Me');
    expect(me.status).toBe(200);
    expect(me.body.userName).toBe('alice@example.com');
  });

  it('writes request ids into every log line and redacts secrets', async () => {
    client = await startServer();
    const response = await client.request('POST', '/Users', {
      body: { ...alice, password: 'Hunter2!pw' },
      headers: { 'x-request-id': 'req-12345' },
    });
    expect(response.headers.get('x-request-id')).toBe('req-12345');
    const lines = client.logs.lines;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => typeof line.requestId === 'string')).toBe(true);
    expect(lines.some((line) => line.requestId === 'req-12345')).toBe(true);
    const text = client.logs.text();
    expect(text).not.toContain(client.token);
    expect(text).not.toContain('Hunter2!pw');
  });
});

describe('discovery', () => {
  it('publishes the real capabilities and documents by id', async () => {
    client = await startServer({ limits: { maxBulkOperations: 50, maxPageSize: 200 } });
    const config = await client.request('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body.bulk).toMatchObject({ supported: true, maxOperations: 50 });
    expect(config.body.filter).toMatchObject({ supported: true, maxResults: 200 });
    expect(config.body.etag.supported).toBe(true);
    expect(config.body.patch.supported).toBe(true);
    const types = await client.request('GET', '/ResourceTypes');
    expect(types.body.totalResults).toBeGreaterThanOrEqual(2);
    const userType = await client.request('GET', '/ResourceTypes/User');
    expect(userType.body.endpoint).toBe('/Users');
    const schema = await client.request('GET', `/Schemas/${USER_SCHEMA}`);
    expect(schema.body.id).toBe(USER_SCHEMA);
    expect((await client.request('GET', '/Schemas/urn:nope')).status).toBe(404);
    expect((await client.request('GET', '/ResourceTypes/Widget')).status).toBe(404);
  });
});
