import { rawRequest } from './raw-request.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type SecurityFixture, startFixture } from './fixture.js';

let fx: SecurityFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

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
