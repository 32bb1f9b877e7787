import type { FilterPath, SchemaRegistry } from '@scim/core';
import { type ResolvedPath, attributeJsonPath, resolvePath, subJsonPath } from './resolve-path.js';
import type { SqlParams } from './sql-params.js';

/** A normalised sort value: what `ORDER BY` compares. */
export type SortKey = string | number | null;

/**
 * The sort value of one JSON value (registered in SQLite as `scim_sort_key`), as the reference
 * store normalises it: missing/null/objects are `null`, booleans 1/0, numbers as they are,
 * dateTime strings as epoch milliseconds, numeric strings of numeric attributes as numbers, other
 * strings lower-cased unless caseExact. SQLite then orders numbers before strings and strings by
 * code point (BINARY), like the reference.
 */
export function sortKeyValue(jsonType: unknown, value: unknown, type: unknown, caseExact: unknown): SortKey {
  switch (jsonType) {
    case 'true':
      return 1;
    case 'false':
      return 0;
    case 'integer':
    case 'real':
      return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : null;
    case 'text': {
      if (typeof value !== 'string') return null;
      if (type === 'dateTime') {
        const time = Date.parse(value);
        if (!Number.isNaN(time)) return time;
      }
      if (type === 'integer' || type === 'decimal') {
        const number = Number(value);
        if (!Number.isNaN(number)) return number;
      }
      return caseExact === 1 || caseExact === true ? value : value.toLowerCase();
    }
    default:
      return null;
  }
}

/**
 * The SQL expression of a query's sort key over the row `r`. Multi-valued attributes sort by their
 * primary element, else their first (RFC 7644 3.4.2.3). `NULL` means "no value": such rows sort
 * last ascending, first descending. Group members and a user's groups are not sortable (always
 * missing, as in the reference store).
 */
export function sortKeySql(
  sortBy: FilterPath,
  resourceType: string,
  registry: SchemaRegistry | undefined,
  params: SqlParams,
  r = 'r',
): { sql: string; path: ResolvedPath } {
  const path = resolvePath(sortBy, resourceType, registry, 'sortBy');
  const core = !path.info.extension;
  if (core && path.subAttribute === undefined && path.attribute === 'id') return { sql: `${r}.id`, path };
  if (core && path.attribute === 'meta') {
    switch (path.subAttribute) {
      case 'created':
        return { sql: `${r}.created_ms`, path };
      case 'lastModified':
        return { sql: `${r}.last_modified_ms`, path };
      case 'resourceType':
        return { sql: `${r}.resource_type`, path };
      case 'version':
        return { sql: `('W/"' || ${r}.version || '"')`, path };
      default:
        return { sql: 'NULL', path };
    }
  }
  if (
    core &&
    path.subAttribute === undefined &&
    path.attribute === 'userName' &&
    resourceType === 'User' &&
    !path.info.caseExact
  ) {
    return { sql: `${r}.user_name_ci`, path };
  }
  if (
    core &&
    ((path.attribute === 'members' && resourceType === 'Group') ||
      (path.attribute === 'groups' && resourceType === 'User'))
  ) {
    return { sql: 'NULL', path };
  }
  const type = params.add(path.info.type);
  const caseExact = params.add(path.info.caseExact ? 1 : 0);
  const top = params.add(attributeJsonPath(path));
  if (path.info.multiValued) {
    const sub = path.subAttribute === undefined ? undefined : params.add(subJsonPath(path.subAttribute));
    const element = sub === undefined ? 'e.value' : `CASE WHEN e.type = 'object' THEN e.value END`;
    const key =
      sub === undefined
        ? `scim_sort_key(e.type, e.value, ${type}, ${caseExact})`
        : `scim_sort_key(json_type(${element}, ${sub}), json_extract(${element}, ${sub}), ${type}, ${caseExact})`;
    return {
      sql: `(SELECT ${key} FROM json_each(${r}.data, ${top}) e ORDER BY CASE WHEN e.type = 'object' AND json_type(e.value, '$.primary') = 'true' THEN 0 ELSE 1 END, e.key LIMIT 1)`,
      path,
    };
  }
  const full =
    path.subAttribute === undefined
      ? top
      : params.add(`${attributeJsonPath(path)}${subJsonPath(path.subAttribute).slice(1)}`);
  return {
    sql: `scim_sort_key(json_type(${r}.data, ${full}), json_extract(${r}.data, ${full}), ${type}, ${caseExact})`,
    path,
  };
}
