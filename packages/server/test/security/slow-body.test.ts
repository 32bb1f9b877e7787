import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SecurityFixture, startFixture } from './fixture.js';

let fx: SecurityFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

function rawRequest(url: string, bytes: string, waitMs: number): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${waitMs} ms`));
    }, waitMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length:\s*(\d+)/i.exec(received)?.[1];
      if (end !== -1 && length !== undefined && received.length >= end + 4 + Number(length)) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(received.slice(9, 12)), text: received.slice(end + 4) });
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(bytes);
  });
}

describe('slow and never-finishing bodies', () => {
  it('a body that stops arriving is answered 408 within the configured time', async () => {
    fx = await startFixture({ limits: { bodyTimeoutMs: 300 } });
    const partial = await rawRequest(
      fx.url,
      `POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${fx.a.token}\r\nContent-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{"schemas":[`,
      10_000,
    );
    expect(partial.status).toBe(408);
    expect(JSON.parse(partial.text)).toMatchObject({ status: '408' });
    const chunked = await rawRequest(
      fx.url,
      `PATCH /scim/v2/Users/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${fx.a.token}\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"sch\r\n`,
      10_000,
    );
    expect(chunked.status).toBe(408);
    // Nothing was created, and the server still answers.
    expect((await fx.send('GET', '/Users?count=0')).body.totalResults).toBe(0);
  });
});
