import type { Store } from '@scim/core';
import { createMemoryStore } from '@scim/core/memory';
import { verifyPassword } from '@scim/server';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../../packages/redis/test/redis-server.ts';
import { loadConfig } from '../config/index.ts';
import { startServer } from './start-server.ts';

describe('startServer', () => {
  it('answers /readyz 503 until the default tenant and the bootstrap token exist', async () => {
    const port = await freePort();
    const secret = 'ci-bootstrap-token-0123456789';
    const config = loadConfig({
      env: { PORT: String(port), HOST: '127.0.0.1', SCIM_BOOTSTRAP_TOKEN: secret, LOG_LEVEL: 'silent' },
    });
    // A store whose first tenant lookup (the bootstrap's) waits until the test lets it go, so the
    // server is listening while the tenant and token do not exist yet.
    const memory = createMemoryStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let bootstrapReached!: () => void;
    const reached = new Promise<void>((resolve) => {
      bootstrapReached = resolve;
    });
    const store = new Proxy(memory, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'getTenant' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          bootstrapReached();
          await gate;
          return value.apply(target, args);
        };
      },
    }) as Store;
    const starting = startServer(config, {
      logger: pino({ level: 'silent' }),
      print: () => {},
      openStore: async () => ({ store, description: 'memory', close: async () => {} }),
    });
    await reached;

    const early = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(early.status).toBe(503);
    expect(await early.json()).toMatchObject({ status: 'not ready', checks: { server: 'starting' } });

    release();
    const server = await starting;
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      const users = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(users.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['discard (the default)', {}, false],
    ['hash', { SCIM_PASSWORDS: 'hash' }, true],
  ] as const)('SCIM_PASSWORDS %s reaches the SCIM server', async (_name, env, hashed) => {
    const port = await freePort();
    const secret = 'ci-bootstrap-token-0123456789';
    const config = loadConfig({
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        SCIM_BOOTSTRAP_TOKEN: secret,
        LOG_LEVEL: 'silent',
        ...env,
      },
    });
    const store = createMemoryStore();
    const server = await startServer(config, {
      logger: pino({ level: 'silent' }),
      print: () => {},
      openStore: async () => ({ store, description: 'memory', close: async () => {} }),
    });
    try {
      const created = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'pw@example.com',
          password: 'from-the-idp-1',
        }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const stored = (await store.getResource(config.defaultTenant, 'User', id))?.data.password;
      if (!hashed) expect(stored).toBeUndefined();
      else {
        expect(stored).toMatch(/^\$scrypt\$/);
        expect(await verifyPassword(stored as string, 'from-the-idp-1')).toBe(true);
      }
    } finally {
      await server.close();
    }
  });
});
