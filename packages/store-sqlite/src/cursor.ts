import { ScimError } from '@scim/core';
import type { SortKey } from './sort-key.js';

/** Where a keyset cursor points: strictly after or strictly before the row (key, id) in the query's order. */
export interface CursorPosition {
  direction: 'after' | 'before';
  key: SortKey;
  id: string;
}

/**
 * Encodes a keyset position as an opaque base64url string, bound to the query shape it came from
 * (resource type, sortBy, sortOrder), so a cursor cannot be replayed against another ordering.
 * Keyset cursors never expire: they name a position, not an offset, so they stay valid (and stable)
 * while resources are created and deleted.
 */
export function encodeCursor(fingerprint: string, position: CursorPosition): string {
  const payload = [1, fingerprint, position.direction === 'after' ? 'a' : 'b', position.key, position.id];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Decodes a cursor of `encodeCursor`; a damaged or foreign one is `ScimError(400, invalidCursor)`. */
export function decodeCursor(cursor: string, fingerprint: string): CursorPosition {
  const invalid = (why: string) =>
    new ScimError(400, 'invalidCursor', `The cursor "${cursor.slice(0, 64)}" is not valid: ${why}`);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid('it is not a cursor this server issued');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('it is not a cursor this server issued');
  }
  if (
    !Array.isArray(payload) ||
    payload.length !== 5 ||
    payload[0] !== 1 ||
    typeof payload[1] !== 'string' ||
    (payload[2] !== 'a' && payload[2] !== 'b') ||
    !(payload[3] === null || typeof payload[3] === 'string' || typeof payload[3] === 'number') ||
    typeof payload[4] !== 'string'
  ) {
    throw invalid('it is not a cursor this server issued');
  }
  if (payload[1] !== fingerprint) {
    throw invalid('it belongs to a query with another resource type, sortBy or sortOrder');
  }
  return { direction: payload[2] === 'a' ? 'after' : 'before', key: payload[3] as SortKey, id: payload[4] };
}
