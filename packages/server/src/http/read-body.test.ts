import { PassThrough, Readable } from 'node:stream';
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

  describe('a node stream (read with its events)', () => {
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

    it('reads every chunk, strings included, and leaves no listener behind', async () => {
      const stream = new PassThrough();
      const read = readBody(stream, { maxBytes: 100, timeoutMs: 1000 });
      stream.write(new TextEncoder().encode('{"a":'));
      stream.write('1,"b":"é"');
      stream.end('}');
      expect(text(await read)).toBe('{"a":1,"b":"é"}');
      for (const event of ['data', 'end', 'error', 'close']) expect(stream.listenerCount(event)).toBe(0);
      expect(text(await readBody(Readable.from([Buffer.from('{}')]), { maxBytes: 2, timeoutMs: 1000 }))).toBe(
        '{}',
      );
    });

    it('answers an empty body for a stream already read to its end', async () => {
      const stream = Readable.from([Buffer.from('x')]);
      for await (const _ of stream) {
        // consumed by someone else (a framework's body parser)
      }
      expect((await readBody(stream, { maxBytes: 10, timeoutMs: 1000 })).byteLength).toBe(0);
    });

    it('refuses more than maxBytes with 413 and drains the rest', async () => {
      const stream = new PassThrough();
      const read = readBody(stream, { maxBytes: 10, timeoutMs: 1000 });
      stream.write(new Uint8Array(8));
      stream.write(new Uint8Array(8));
      await expect(read).rejects.toMatchObject({ status: 413 });
      let drained = false;
      stream.on('end', () => {
        drained = true;
      });
      stream.end(new Uint8Array(8)); // the rest flows into nothing: the socket stays usable
      await new Promise((resolve) => setImmediate(resolve));
      expect(drained).toBe(true);
    });

    it('gives up with 408 on a body that stops arriving', async () => {
      const stream = new PassThrough();
      stream.write('{"a":');
      await expect(readBody(stream, { maxBytes: 100, timeoutMs: 20 })).rejects.toMatchObject({ status: 408 });
      expect(stream.listenerCount('data')).toBe(0);
    });

    it('fails with the stream’s error, and when it closes before its end', async () => {
      const failing = new PassThrough();
      const read = readBody(failing, { maxBytes: 100, timeoutMs: 1000 });
      failing.destroy(new Error('socket hang up'));
      await expect(read).rejects.toThrow('socket hang up');
      const cut = new PassThrough();
      const cutRead = readBody(cut, { maxBytes: 100, timeoutMs: 1000 });
      cut.write('{"a":');
      cut.destroy();
      await expect(cutRead).rejects.toMatchObject({ code: 'ECONNRESET' });
    });
  });
});
