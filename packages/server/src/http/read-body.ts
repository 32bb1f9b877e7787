import { ScimError } from '@scim/core';
import type { ScimRequestBody } from '../types.js';

/** Limits for reading one body. */
export interface ReadBodyOptions {
  maxBytes: number;
  timeoutMs: number;
  /** The declared Content-Length, checked before reading. */
  contentLength?: string;
}

function tooLarge(maxBytes: number): ScimError {
  return new ScimError(413, undefined, `Request body exceeds the limit of ${maxBytes} bytes`, {
    headers: { connection: 'close' },
  });
}

/**
 * Reads a request body into bytes, refusing more than `maxBytes` (413, checked against
 * Content-Length first and while streaming) and bodies that do not arrive within `timeoutMs` (408).
 */
export async function readBody(
  body: ScimRequestBody | undefined,
  options: ReadBodyOptions,
): Promise<Uint8Array> {
  const { maxBytes, timeoutMs } = options;
  if (options.contentLength !== undefined) {
    const declared = Number(options.contentLength);
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  }
  if (body === undefined) return new Uint8Array(0);
  if (typeof body === 'string') {
    const bytes = new TextEncoder().encode(body);
    if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
    return bytes;
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ScimError(408, undefined, `Request body not received within ${timeoutMs} ms`, {
            headers: { connection: 'close' },
          }),
        ),
      timeoutMs,
    );
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) break;
      const chunk = typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value;
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    // Stop the source (and let the transport discard the rest), but do not wait for it: a stream's
    // iterator settles return() only after the pending next(), which a stalled body never settles.
    iterator.return?.().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
