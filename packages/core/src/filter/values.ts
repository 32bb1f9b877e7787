import type { FilterPath } from './ast.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `name` from an object: the exact key first, then a case-insensitive match (attribute names are case-insensitive). */
export function readKey(object: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const wanted = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === wanted) return object[key];
  }
  return undefined;
}

function pushValues(out: unknown[], value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) if (item !== undefined && item !== null) out.push(item);
  } else {
    out.push(value);
  }
}

/** The object that holds the path's top-level attribute: the resource, or its extension object. */
function container(resource: Record<string, unknown>, path: FilterPath): Record<string, unknown> | undefined {
  if (path.schema === undefined) return resource;
  if (path.resolved !== undefined) {
    if (!path.resolved.extension) return resource;
    const extension = readKey(resource, path.resolved.schema);
    return isObject(extension) ? extension : undefined;
  }
  // Unresolved and URN-qualified: an extension if the resource has an object under that URN.
  const extension = readKey(resource, path.schema);
  return isObject(extension) ? extension : resource;
}

/**
 * The values a path designates in a resource, flattened into one array: a single-valued attribute
 * gives zero or one value, a multi-valued one each of its values, and `attr.sub` of a multi-valued
 * complex attribute the `sub` of every element (`emails.value` -> every email address). Extension
 * attributes are read from the object under their schema URN. `null` and missing values are left
 * out; attribute names are matched exactly, then case-insensitively. Use it in stores and PATCH to
 * read what a filter or PATCH path points at.
 *
 * @example
 * getValues({ schemas: [], emails: [{ value: 'a@x' }, { value: 'b@x' }] }, { attribute: 'emails', subAttribute: 'value' });
 * // ['a@x', 'b@x']
 */
export function getValues(resource: Record<string, unknown>, path: FilterPath): unknown[] {
  const holder = container(resource, path);
  if (holder === undefined) return [];
  const top = readKey(holder, path.attribute);
  const out: unknown[] = [];
  if (path.subAttribute === undefined) {
    pushValues(out, top);
    return out;
  }
  if (Array.isArray(top)) {
    for (const element of top) if (isObject(element)) pushValues(out, readKey(element, path.subAttribute));
  } else if (isObject(top)) {
    pushValues(out, readKey(top, path.subAttribute));
  }
  return out;
}

/**
 * The elements of a complex attribute that a value filter `attr[...]` is applied to: every element
 * of a multi-valued attribute, or the single object of a single-valued one.
 */
export function getElements(resource: Record<string, unknown>, path: FilterPath): Record<string, unknown>[] {
  const holder = container(resource, path);
  if (holder === undefined) return [];
  const top = readKey(holder, path.attribute);
  if (Array.isArray(top)) return top.filter(isObject);
  return isObject(top) ? [top] : [];
}

/**
 * RFC 7643 2.5: unassigned, null, an empty string, an empty array and a complex value whose
 * sub-attributes are all unassigned are all "not present".
 */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (typeof value === 'object') return Object.values(value).some(isPresent);
  return true;
}
