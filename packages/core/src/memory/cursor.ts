import { ScimError } from '../errors/index.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import type { SortKey } from './sort-order.js';

/** Where a keyset cursor points: strictly after or strictly before the row (key, id) in the query's order. */
export interface CursorPosition {
  direction: 'after' | 'before';
  key: SortKey;
  id: string;
}

interface CursorPayload {
  v: 1;
  q: string;
  d: 'a' | 'b';
  k: SortKey;
  i: string;
}

/** Encodes a keyset position, bound to the query (resource type, sortBy, sortOrder) it came from. */
export function encodeCursor(queryFingerprint: string, position: CursorPosition): string {
  const payload: CursorPayload = {
    v: 1,
    q: queryFingerprint,
    d: position.direction === 'after' ? 'a' : 'b',
    k: position.key,
    i: position.id,
  };
  return encodeBase64Url(JSON.stringify(payload));
}

/** Decodes a cursor of `encodeCursor`; a foreign, damaged or mismatched one is `ScimError(400, invalidCursor)`. */
export function decodeCursor(cursor: string, queryFingerprint: string): CursorPosition {
  const invalid = (why: string) =>
    new ScimError(400, 'invalidCursor', `The cursor "${cursor.slice(0, 64)}" is not valid: ${why}`);
  const json = decodeBase64Url(cursor);
  if (json === undefined) throw invalid('it is not a cursor this server issued');
  let payload: Partial<CursorPayload>;
  try {
    payload = JSON.parse(json) as Partial<CursorPayload>;
  } catch {
    throw invalid('it is not a cursor this server issued');
  }
  if (
    typeof payload !== 'object' ||
    payload === null ||
    payload.v !== 1 ||
    (payload.d !== 'a' && payload.d !== 'b') ||
    typeof payload.i !== 'string' ||
    !(payload.k === null || typeof payload.k === 'string' || typeof payload.k === 'number')
  ) {
    throw invalid('it is not a cursor this server issued');
  }
  if (payload.q !== queryFingerprint) {
    throw invalid('it belongs to a query with another resource type, sortBy or sortOrder');
  }
  return { direction: payload.d === 'a' ? 'after' : 'before', key: payload.k, id: payload.i };
}
