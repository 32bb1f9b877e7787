import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryStore } from '@scim/core/memory';
import express from 'express';
import Fastify from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createScimServer,
  expressMiddleware,
  fastifyPlugin,
  issueToken,
  type ScimServer,
  toFetchHandler,
  toNodeListener,
} from '../src/index.js';

const USER = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'adapter@example.com' };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function setup(baseUrl: (port: number) => string) {
  const store = createMemoryStore();
  await store.createTenant({ id: 't1', name: 'T1', createdAt: new Date().toISOString() });
  const { secret } = await issueToken(store, { tenantId: 't1', name: 'test' });
  let scim: ScimServer | undefined;
  const make = (port: number) => {
    scim = createScimServer({ store, baseUrl: baseUrl(port), logger: pino({ level: 'silent' }) });
    closers.push(() => scim!.close());
    return scim;
  };
  return { secret, make };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** The same conversation through every adapter: create, read, list, 404 outside the base path, 413. */
async function converse(origin: string, base: string, secret: string) {
  const auth = { authorization: `Bearer ${secret}` };
  const created = await fetch(`${origin}${base}/Users`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/scim+json' },
    body: JSON.stringify(USER),
  });
  expect(created.status).toBe(201);
  const body = (await created.json()) as { id: string };
  expect(created.headers.get('location')).toBe(`${origin}${base}/Users/${body.id}`);
  const read = await fetch(`${origin}${base}/Users/${body.id}`, { headers: auth });
  expect(read.status).toBe(200);
  expect(read.headers.get('content-type')).toMatch(/application\/scim\+json/);
  const list = await fetch(
    `${origin}${base}/Users?filter=${encodeURIComponent('userName eq "adapter@example.com"')}`,
    { headers: auth },
  );
  expect(((await list.json()) as { totalResults: number }).totalResults).toBe(1);
  const big = await fetch(`${origin}${base}/Users`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ ...USER, displayName: 'x'.repeat(2 * 1024 * 1024) }),
  });
  expect(big.status).toBe(413);
  const malformed = await fetch(`${origin}${base}/Users`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{oops',
  });
  expect(malformed.status).toBe(400);
  expect(((await malformed.json()) as { scimType: string }).scimType).toBe('invalidSyntax');
  const unauthenticated = await fetch(`${origin}${base}/Users`);
  expect(unauthenticated.status).toBe(401);
}

describe('adapters mounted at a non-root base path', () => {
  it('node:http', async () => {
    const { secret, make } = await setup((port) => `http://127.0.0.1:${port}/scim/v2`);
    let listener: ReturnType<typeof toNodeListener> | undefined;
    const port = await listen(createServer((req, res) => listener!(req, res)));
    listener = toNodeListener(make(port), { basePath: '/scim/v2/' });
    await converse(`http://127.0.0.1:${port}`, '/scim/v2', secret);
    const outside = await fetch(`http://127.0.0.1:${port}/other/Users`);
    expect(outside.status).toBe(404);
  });

  it('Fetch API', async () => {
    const { secret, make } = await setup((port) => `http://127.0.0.1:${port}/api/scim`);
    let handler: ((request: Request) => Promise<Response>) | undefined;
    // A tiny bridge from node:http to the Fetch handler, as Bun/Deno/Next would call it.
    const port = await listen(
      createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const request = new Request(`http://127.0.0.1${req.url}`, {
          method: req.method!,
          headers: req.headers as Record<string, string>,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        const response = await handler!(request);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      }),
    );
    handler = toFetchHandler(make(port), { basePath: '/api/scim' });
    await converse(`http://127.0.0.1:${port}`, '/api/scim', secret);
    const outside = await handler(new Request('http://x/elsewhere'));
    expect(outside.status).toBe(404);
  });

  it('Express, with and without express.json() before it', async () => {
    const { secret, make } = await setup((port) => `http://127.0.0.1:${port}/scim/v2`);
    const app = express();
    const server = createServer(app);
    const port = await listen(server);
    const scim = make(port);
    app.use('/scim/v2', expressMiddleware(scim));
    app.use('/parsed', express.json({ limit: '5mb' }), expressMiddleware(scim));
    await converse(`http://127.0.0.1:${port}`, '/scim/v2', secret);
    const viaParsed = await fetch(`http://127.0.0.1:${port}/parsed/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...USER, userName: 'parsed@example.com' }),
    });
    expect(viaParsed.status).toBe(201);
  });

  it('Fastify', async () => {
    const { secret, make } = await setup((port) => `http://127.0.0.1:${port}/scim/v2`);
    const app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
    let scim: ScimServer | undefined;
    // The base URL needs the port, known only after listen: register a forwarding server.
    const forwarding = {
      handle: (request: Parameters<ScimServer['handle']>[0]) => scim!.handle(request),
      close: async () => undefined,
      drainEvents: async () => undefined,
      get limits() {
        return scim!.limits;
      },
    } satisfies ScimServer;
    await app.register(fastifyPlugin(forwarding) as never, { prefix: '/scim/v2' });
    app.get('/health', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const port = (app.server.address() as AddressInfo).port;
    scim = make(port);
    await converse(`http://127.0.0.1:${port}`, '/scim/v2', secret);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ ok: true });
  });
});
