import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestClient, USER_SCHEMA } from './harness.js';

let client: TestClient;
beforeEach(async () => {
  client = await startServer();
});
afterEach(async () => {
  await client.close();
});

const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  ...extra,
});

describe('Users CRUD', () => {
  it('creates with 201, Location and ETag, then reads it back', async () => {
    const created = await client.request('POST', '/Users', {
      body: user('bjensen@example.com', { externalId: 'ext-1' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`${client.baseUrl}/Users/${id}`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.body.meta).toMatchObject({
      resourceType: 'User',
      location: `${client.baseUrl}/Users/${id}`,
      version: 'W/"1"',
    });
    expect(created.body.userName).toBe('bjensen@example.com');

    const read = await client.request('GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.externalId).toBe('ext-1');
    expect(read.headers.get('etag')).toBe('W/"1"');
  });

  it('replaces with PUT and bumps the version', async () => {
    const created = await client.request('POST', '/Users', { body: user('put@example.com') });
    const id = created.body.id;
    const replaced = await client.request('PUT', `/Users/${id}`, {
      body: user('put@example.com', { name: { givenName: 'Babs', familyName: 'Jensen' } }),
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.name.givenName).toBe('Babs');
    expect(replaced.headers.get('etag')).toBe('W/"2"');
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const created = await client.request('POST', '/Users', { body: user('etag@example.com') });
    const notModified = await client.request('GET', `/Users/${created.body.id}`, {
      headers: { 'if-none-match': 'W/"1"' },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    const modified = await client.request('GET', `/Users/${created.body.id}`, {
      headers: { 'if-none-match': 'W/"7"' },
    });
    expect(modified.status).toBe(200);
  });

  it('applies attributes and excludedAttributes', async () => {
    const created = await client.request('POST', '/Users?attributes=userName', {
      body: user('proj@example.com'),
    });
    expect(created.status).toBe(201);
    expect(created.body.name).toBeUndefined();
    expect(created.body.userName).toBe('proj@example.com');
    expect(created.body.id).toBeDefined();
    const read = await client.request('GET', `/Users/${created.body.id}?excludedAttributes=emails,name`);
    expect(read.body.emails).toBeUndefined();
    expect(read.body.name).toBeUndefined();
    expect(read.body.userName).toBe('proj@example.com');
  });

  it('refuses a duplicate userName with 409 uniqueness, case-insensitively', async () => {
    await client.request('POST', '/Users', { body: user('dup@example.com', { externalId: 'a' }) });
    const again = await client.request('POST', '/Users', {
      body: user('DUP@example.com', { externalId: 'b' }),
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('never returns the password', async () => {
    const created = await client.request('POST', '/Users', {
      body: user('pw@example.com', { password: 'Secr3t!' }),
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain('Secr3t!');
    const read = await client.request('GET', `/Users/${created.body.id}`);
    expect(read.text).not.toContain('Secr3t!');
    expect(client.logs.text()).not.toContain('Secr3t!');
  });
});
