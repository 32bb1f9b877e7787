import type { FilterPath, SchemaRegistry } from '@scim/core';
import { ScimError } from '@scim/core';
import type { Document } from 'mongodb';
import { META_FIELD } from './compile-filter.js';
import { encodeFieldKey } from './field-key.js';

/** The sort-key map of a resource document. */
export const SORT_FIELD = '_sort';

/** A value a resource sorts by: numbers before strings, `null` (no value) last. */
export type SortValue = string | number | null;

/** How a query is ordered and how its keyset cursors are bound to it. */
export interface SortSpec {
  /** Resource type, sortBy and sortOrder: a cursor only applies to the query it came from. */
  fingerprint: string;
  /** The field holding the sort value (`id` when there is no sortBy). */
  valueField: string;
  /** Present only when a resource has a value; missing values sort last ascending, first descending. */
  presenceField?: string;
  descending: boolean;
}

/** The position of a row in the order: its sort value and id. */
export interface RowKey {
  key: SortValue;
  id: string;
}

/**
 * The order of a query: by `sortBy` (RFC 7644 3.4.2.3, missing values last when ascending), then
 * by id; without `sortBy`, by id ascending whatever the sortOrder.
 */
export function sortSpec(
  registry: SchemaRegistry,
  resourceType: string,
  sortBy: FilterPath | undefined,
  sortOrder: 'ascending' | 'descending' | undefined,
): SortSpec {
  const descending = sortBy !== undefined && sortOrder === 'descending';
  const fingerprint = `${resourceType}|${
    sortBy
      ? `${sortBy.resolved?.schema ?? sortBy.schema ?? ''}:${sortBy.attribute}.${sortBy.subAttribute ?? ''}`.toLowerCase()
      : ''
  }|${descending ? 'd' : 'a'}`;
  if (sortBy === undefined) return { fingerprint, valueField: 'id', descending };
  const resolved = registry.resolve(resourceType, {
    ...(sortBy.schema === undefined ? {} : { schema: sortBy.schema }),
    attribute: sortBy.attribute,
    ...(sortBy.subAttribute === undefined ? {} : { subAttribute: sortBy.subAttribute }),
  });
  const attribute = resolved?.attribute ?? sortBy.attribute;
  const sub = resolved?.subAttribute ?? sortBy.subAttribute;
  if (resolved !== undefined && !resolved.extension) {
    if (attribute === 'id') return { fingerprint, valueField: 'id', descending };
    if (attribute === 'meta' && (sub === 'created' || sub === 'lastModified')) {
      return { fingerprint, valueField: `${META_FIELD}.${sub}`, descending };
    }
  }
  const path = `${resolved?.extension ? `${resolved.schema}:` : ''}${attribute}${sub === undefined ? '' : `.${sub}`}`;
  const key = `${SORT_FIELD}.${encodeFieldKey(path)}`;
  return { fingerprint, valueField: `${key}.v`, presenceField: `${key}.h`, descending };
}

/** The MongoDB sort document of a spec (reversed for paging backwards). */
export function sortDocument(spec: SortSpec, reverse = false): Record<string, 1 | -1> {
  const descending = spec.descending !== reverse;
  const direction = descending ? -1 : 1;
  const sort: Record<string, 1 | -1> = {};
  // `h` is 1 or missing; missing sorts below 1, so ascending puts present values first with -1.
  if (spec.presenceField !== undefined) sort[spec.presenceField] = descending ? 1 : -1;
  if (spec.valueField !== 'id') sort[spec.valueField] = direction;
  sort.id = direction;
  return sort;
}

function read(document: Document, field: string): unknown {
  let value: unknown = document;
  for (const part of field.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The position of a fetched document in the spec's order. */
export function rowKey(spec: SortSpec, document: Document): RowKey {
  const id = String(document.id);
  if (spec.valueField === 'id') return { key: id, id };
  const value = read(document, spec.valueField);
  return { key: typeof value === 'string' || typeof value === 'number' ? value : null, id };
}

/** Rows strictly after (`greater`) or before `row` in ascending order. */
function beyond(spec: SortSpec, row: RowKey, greater: boolean): Document {
  const idOp = greater ? '$gt' : '$lt';
  if (spec.valueField === 'id') return { id: { [idOp]: row.id } };
  const value = spec.valueField;
  const presence = spec.presenceField;
  const has = presence === undefined ? {} : { [presence]: { $exists: true } };
  const missing = presence === undefined ? undefined : { [presence]: { $exists: false } };
  if (row.key === null) {
    // Only possible with a presence field: missing values come after every present one.
    if (missing === undefined) return { id: { [idOp]: row.id } };
    return greater
      ? { ...missing, id: { $gt: row.id } }
      : { $or: [has, { ...missing, id: { $lt: row.id } }] };
  }
  const parts: Document[] = [
    { ...has, [value]: { [idOp]: row.key } },
    { ...has, [value]: { $eq: row.key }, id: { [idOp]: row.id } },
  ];
  // Numbers order before strings (as BSON and the reference store do); comparisons stay within a type.
  if (typeof row.key === 'number' && greater) parts.push({ ...has, [value]: { $type: 'string' } });
  if (typeof row.key === 'string' && !greater) parts.push({ ...has, [value]: { $type: 'number' } });
  if (greater && missing !== undefined) parts.push(missing);
  return { $or: parts };
}

/** The rows after (`'after'`) or before (`'before'`) `row` in the query's own order. */
export function keysetFilter(spec: SortSpec, row: RowKey, direction: 'after' | 'before'): Document {
  const greater = (direction === 'after') !== spec.descending;
  return beyond(spec, row, greater);
}

interface CursorPayload {
  v: 1;
  q: string;
  d: 'a' | 'b';
  k: SortValue;
  i: string;
}

/** An opaque RFC 9865 cursor: a keyset position bound to the query's fingerprint. */
export function encodeCursor(spec: SortSpec, row: RowKey, direction: 'after' | 'before'): string {
  const payload: CursorPayload = {
    v: 1,
    q: spec.fingerprint,
    d: direction === 'after' ? 'a' : 'b',
    k: row.key,
    i: row.id,
  };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** Decodes a cursor of {@link encodeCursor}; anything else is `ScimError(400, 'invalidCursor')`. */
export function decodeCursor(spec: SortSpec, cursor: string): { row: RowKey; direction: 'after' | 'before' } {
  const invalid = (why: string) =>
    new ScimError(400, 'invalidCursor', `The cursor "${cursor.slice(0, 64)}" is not valid: ${why}`);
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid('it is not a cursor this server issued');
  let payload: Partial<CursorPayload>;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPayload>;
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
  if (payload.q !== spec.fingerprint) {
    throw invalid('it belongs to a query with another resource type, sortBy or sortOrder');
  }
  return { row: { key: payload.k, id: payload.i }, direction: payload.d === 'a' ? 'after' : 'before' };
}
