import { FORBIDDEN_ATTRIBUTE_NAMES } from '../schema/define.js';
import { isPlainObject } from './changed-attributes.js';

/** The key of `object` that names `name` case-insensitively (the exact spelling first). */
export function findKey(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const wanted = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === wanted);
}

/** Reads an attribute by name, case-insensitively. */
export function readAttribute(object: Record<string, unknown>, name: string): unknown {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

/**
 * Writes an attribute under its canonical name, dropping any differently-cased spelling of it.
 * `name` always comes from the schema registry (never from client input), which only admits safe
 * attribute names; the guard is a second line of defence.
 */
export function writeAttribute(object: Record<string, unknown>, name: string, value: unknown): void {
  if (FORBIDDEN_ATTRIBUTE_NAMES.has(name.toLowerCase())) return;
  removeAttribute(object, name);
  object[name] = value;
}

/** Deletes every spelling of an attribute. */
export function removeAttribute(object: Record<string, unknown>, name: string): void {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(object)) if (key.toLowerCase() === wanted) delete object[key];
}

/**
 * A deep copy of a JSON value that leaves out `__proto__`, `constructor` and `prototype` keys, so
 * that nothing a client smuggled in can reach a prototype, and so that the copy shares nothing with
 * the input (the PATCH works on it and the input stays untouched if an operation fails).
 */
export function safeClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => safeClone(item)) as T;
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_ATTRIBUTE_NAMES.has(key.toLowerCase())) continue;
      copy[key] = safeClone(value[key]);
    }
    return copy as T;
  }
  return value;
}
