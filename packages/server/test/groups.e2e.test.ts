import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, PATCH_SCHEMA, startServer, type TestClient, USER_SCHEMA } from './harness.js';

let client: TestClient;
beforeEach(async () => {
  client = await startServer();
});
afterEach(async () => {
  await client.close();
});

async function create(path: string, body: Record<string, unknown>): Promise<string> {
  const response = await client.request('POST', path, { body });
  expect(response.status).toBe(201);
  return response.body.id;
}

describe('nested groups', () => {
  it('adds a group as a member with PATCH whether or not the member names its type, as POST does', async () => {
    const userId = await create('/Users', { schemas: [USER_SCHEMA], userName: 'nested@example.com' });
    const inner = await create('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Inner' });
    const typed = await create('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Typed' });
    const outer = await create('/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Outer',
      members: [{ value: inner }],
    });
    const patched = await client.request('PATCH', `/Groups/${outer}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: 'add', path: 'members', value: [{ value: typed, type: 'Group' }, { value: userId }] },
        ],
      },
    });
    expect(patched.status).toBe(200);
    const untyped = await create('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Untyped' });
    const second = await client.request('PATCH', `/Groups/${outer}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: untyped }] }],
      },
    });
    expect(second.status).toBe(200);
    const members = (second.body.members as { value: string; type: string }[])
      .map((m) => `${m.type}:${m.value}`)
      .sort();
    expect(members).toEqual(
      [`Group:${inner}`, `Group:${typed}`, `Group:${untyped}`, `User:${userId}`].sort(),
    );

    // A declared type must still agree with what the id is.
    const wrong = await client.request('PATCH', `/Groups/${outer}`, {
      body: {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: userId, type: 'Group' }] }],
      },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.scimType).toBe('invalidValue');
    expect(wrong.body.detail).toContain(userId);
  });
});
