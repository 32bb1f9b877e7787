import { describe, expect, it } from 'vitest';
import { readBody } from './read-body.js';

describe('readBody', () => {
  it('reads strings, bytes and streams within the limit', async () => {
    expect(new TextDecoder().decode(await readBody('{"a":1}', { maxBytes: 10, timeoutMs: 1000 }))).toBe(
      '{"a":1}',
    );
    async function* chunks() {
      yield new TextEncoder().encode('{"a":');
      yield new TextEncoder().encode('1}');
    }
    expect(new TextDecoder().decode(await readBody(chunks(), { maxBytes: 10, timeoutMs: 1000 }))).toBe(
      '{"a":1}',
    );
  });

  it('refuses a declared or streamed body over the limit with 413', async () => {
    await expect(readBody('x', { maxBytes: 10, timeoutMs: 1000, contentLength: '11' })).rejects.toMatchObject(
      { status: 413 },
    );
    async function* big() {
      for (let i = 0; i < 5; i += 1) yield new Uint8Array(4);
    }
    await expect(readBody(big(), { maxBytes: 10, timeoutMs: 1000 })).rejects.toMatchObject({ status: 413 });
  });

  it('gives up on a body that never finishes with 408', async () => {
    const stalled: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => undefined),
      }),
    };
    await expect(readBody(stalled, { maxBytes: 10, timeoutMs: 20 })).rejects.toMatchObject({ status: 408 });
  });
});
