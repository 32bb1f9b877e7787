/**
 * True for a JSON object: not null, not an array, and created as a plain object (prototype
 * `Object.prototype` or `null`), which is what `JSON.parse` produces.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
