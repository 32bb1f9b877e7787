import type { FilterPath } from '../filter/ast.js';
import { compareCodePoints, parseDateTime } from '../filter/index.js';
import type { ScimResource } from '../schema/types.js';
import { getAttribute } from './resource-view.js';

/** A normalised sort value: lower-cased for case-insensitive strings, epoch ms for dateTimes, `null` when missing. */
export type SortKey = string | number | null;

const CORE_SCHEMA_PREFIX = 'urn:ietf:params:scim:schemas:core:';

/**
 * The value a resource sorts by (RFC 7644 3.4.2.3): a multi-valued attribute sorts by its primary
 * value, else its first; a missing value is `null`.
 */
export function sortKeyOf(view: ScimResource, path: FilterPath): SortKey {
  let container: unknown = view;
  const schema = path.resolved?.schema ?? path.schema;
  const isExtension =
    path.resolved?.extension ??
    (schema !== undefined && !schema.toLowerCase().startsWith(CORE_SCHEMA_PREFIX));
  if (isExtension && schema !== undefined) container = getAttribute(view, schema);
  let value = getAttribute(container, path.attribute);
  if (Array.isArray(value)) {
    value =
      value.find(
        (item) =>
          typeof item === 'object' && item !== null && (item as { primary?: unknown }).primary === true,
      ) ?? value[0];
  }
  if (path.subAttribute !== undefined) value = getAttribute(value, path.subAttribute);
  return normaliseSortValue(value, path);
}

function normaliseSortValue(value: unknown, path: FilterPath): SortKey {
  if (value === undefined || value === null) return null;
  const isMetaTime =
    path.attribute.toLowerCase() === 'meta' &&
    ['created', 'lastmodified'].includes(path.subAttribute?.toLowerCase() ?? '');
  const type = path.resolved?.type ?? (isMetaTime ? 'dateTime' : undefined);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  if (type === 'dateTime') {
    const time = parseDateTime(value);
    if (time !== undefined) return time;
  }
  if (type === 'integer' || type === 'decimal') {
    const number = Number(value);
    if (!Number.isNaN(number)) return number;
  }
  const caseExact = path.resolved?.caseExact ?? false;
  return caseExact ? value : value.toLowerCase();
}

/**
 * Ascending order of sort keys: missing values last (RFC 7644 3.4.2.3, so first when descending),
 * numbers numerically, strings by code point (the order of their UTF-8 bytes, as databases sort).
 */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return Math.sign(compareCodePoints(a, b));
  return typeof a === 'number' ? -1 : 1;
}

/** Code-point order of ids, the tie-breaker of every ordering. */
export function compareIds(a: string, b: string): number {
  return Math.sign(compareCodePoints(a, b));
}
