import { SCHEMA_URNS } from '../schema/types.js';

/** A `ListResponse` (RFC 7644 3.4.2), with the RFC 9865 cursor fields when paging by cursor. */
export interface ListResponse<T> {
  schemas: [typeof SCHEMA_URNS.listResponse];
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: T[];
}

/**
 * Wraps resources in a `ListResponse`. `startIndex` defaults to 1 unless a cursor is involved
 * (RFC 9865 responses carry `nextCursor` / `previousCursor` instead).
 *
 * @example
 * listResponse(users, { totalResults: 42, startIndex: 1 });
 */
export function listResponse<T>(
  resources: readonly T[],
  options: { totalResults?: number; startIndex?: number; nextCursor?: string; previousCursor?: string } = {},
): ListResponse<T> {
  const body: ListResponse<T> = {
    schemas: [SCHEMA_URNS.listResponse],
    totalResults: options.totalResults ?? resources.length,
    itemsPerPage: resources.length,
    Resources: [...resources],
  };
  const cursorMode = options.nextCursor !== undefined || options.previousCursor !== undefined;
  if (options.startIndex !== undefined || !cursorMode) body.startIndex = options.startIndex ?? 1;
  if (options.nextCursor !== undefined) body.nextCursor = options.nextCursor;
  if (options.previousCursor !== undefined) body.previousCursor = options.previousCursor;
  return body;
}
