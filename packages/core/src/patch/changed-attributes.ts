/** Attributes that the service provider manages, never reported as changed. */
const MANAGED = new Set(['id', 'meta', 'schemas']);

/**
 * The attribute paths whose values differ between two versions of a resource: top-level
 * attributes by name (`active`, `emails`), sub-attributes of a singular complex attribute as
 * `name.givenName`, extension attributes URN-qualified
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`). `id`, `meta` and
 * `schemas` are ignored. The result is sorted, so it is stable for journals and tests.
 *
 * @example
 * changedAttributes({ schemas: [], active: true }, { schemas: [], active: false }); // ['active']
 */
export function changedAttributes(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
): string[] {
  const changed = new Set<string>();
  diffObject(before ?? {}, after ?? {}, '', true, changed);
  return [...changed].sort();
}

function diffObject(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  prefix: string,
  topLevel: boolean,
  changed: Set<string>,
): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (topLevel && MANAGED.has(key)) continue;
    const a = before[key];
    const b = after[key];
    if (deepEqual(a, b)) continue;
    const urn = topLevel && key.toLowerCase().startsWith('urn:');
    if (urn && (isPlainObject(a) || a === undefined) && (isPlainObject(b) || b === undefined)) {
      // Extension attributes are reported one by one, URN-qualified.
      diffObject(
        (a as Record<string, unknown> | undefined) ?? {},
        (b as Record<string, unknown> | undefined) ?? {},
        `${key}:`,
        false,
        changed,
      );
      continue;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const sub of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (!deepEqual(a[sub], b[sub])) changed.add(`${prefix}${key}.${sub}`);
      }
      continue;
    }
    changed.add(`${prefix}${key}`);
  }
}

/** Structural equality of JSON values (arrays in order, objects by keys). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a).filter((key) => a[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => b[key] !== undefined);
    if (keysA.length !== keysB.length) return false;
    return keysA.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
