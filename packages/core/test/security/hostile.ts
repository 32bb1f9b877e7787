import fc from 'fast-check';
import { isScimError } from '../../src/errors/index.js';

/** A deep copy of a JSON value (core compiles without DOM or Node types, so no structuredClone). */
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Attribute names that reach for a prototype when used as a property key. */
export const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * Runs `run` and returns what it returned, or the ScimError it threw. Anything else (a TypeError, a
 * RangeError from a stack overflow, a ScimError with a status outside 400..499, a ScimError without
 * a detail) fails the property with the input named, so that fast-check shrinks towards it.
 */
export function onlyClientErrors(run: () => unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (!isScimError(error)) {
      throw new Error(
        `threw ${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message ?? String(error)}`,
      );
    }
    if (error.status < 400 || error.status > 499) {
      throw new Error(`ScimError with status ${error.status}: ${error.detail}`);
    }
    if (typeof error.detail !== 'string' || error.detail.length === 0) {
      throw new Error('ScimError without a detail telling the caller what to fix');
    }
    return { ok: false };
  }
}

/** Where a forbidden own key (or an object with a foreign prototype) sits inside a JSON value. */
export function forbiddenKeyPaths(value: unknown, at = '$', found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) forbiddenKeyPaths(item, `${at}[${index}]`, found);
  } else if (typeof value === 'object' && value !== null) {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) found.push(`${at} (unexpected prototype)`);
    for (const key of Object.keys(value)) {
      if ((FORBIDDEN_KEYS as readonly string[]).includes(key.toLowerCase())) found.push(`${at}.${key}`);
      forbiddenKeyPaths((value as Record<string, unknown>)[key], `${at}.${key}`, found);
    }
  }
  return found;
}

/** Fails when anything was added to `Object.prototype` or `Array.prototype`, and removes it. */
export function assertPrototypesClean(): void {
  const objectKeys = Object.getOwnPropertyNames(Object.prototype).filter((key) => !BASE_OBJECT_KEYS.has(key));
  const arrayKeys = Object.getOwnPropertyNames(Array.prototype).filter((key) => !BASE_ARRAY_KEYS.has(key));
  for (const key of objectKeys) delete (Object.prototype as Record<string, unknown>)[key];
  for (const key of arrayKeys) delete (Array.prototype as unknown as Record<string, unknown>)[key];
  if (objectKeys.length > 0 || arrayKeys.length > 0) {
    throw new Error(
      `prototype polluted: Object.prototype +${objectKeys.join(',')} Array.prototype +${arrayKeys.join(',')}`,
    );
  }
}

const BASE_OBJECT_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));
const BASE_ARRAY_KEYS = new Set(Object.getOwnPropertyNames(Array.prototype));

/** Strings a hostile client likes: injection, metacharacters, control characters, lone surrogates. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom(
    '',
    ' ',
    "' OR 1=1 --",
    '"); DROP TABLE resources; --',
    '%',
    '_',
    '\\',
    '\u0000',
    '\ud800',
    '\udfff',
    '$where',
    '$ne',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'True',
    'False',
    '1e999',
    '-0',
    'NaN',
    '2011-13-45T99:99:99Z',
    'urn:ietf:params:scim:schemas:core:2.0:User:userName',
    'a'.repeat(2000),
  ),
);

/** A JSON value built from hostile strings, with forbidden keys mixed in at every level. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(
        fc.tuple(
          fc.oneof(hostileString, fc.constantFrom(...FORBIDDEN_KEYS, 'value', 'type', 'primary')),
          tie('value'),
        ),
        { maxLength: 4 },
      )
      // Built through JSON.parse so that `__proto__` is an own key, as it is in a parsed request body.
      .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown),
  ),
})).value;

/** One random edit of a JSON document: where (an index into its nodes), what, and a replacement. */
export interface JsonEdit {
  at: number;
  kind: 'replace' | 'delete' | 'rename' | 'recase' | 'wrap' | 'unwrap' | 'forbidden';
  replacement: unknown;
  key: string;
}

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'rename', 'recase', 'wrap', 'unwrap', 'forbidden'),
  replacement: hostileJson,
  key: fc.oneof(fc.constantFrom(...FORBIDDEN_KEYS), hostileString),
});

type Container = Record<string, unknown> | unknown[];

/** Sets an own, enumerable property, also for `__proto__` (where `=` would change the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function containers(value: unknown, found: Container[] = []): Container[] {
  if (Array.isArray(value)) {
    found.push(value);
    for (const item of value) containers(item, found);
  } else if (typeof value === 'object' && value !== null) {
    found.push(value as Record<string, unknown>);
    for (const key of Object.keys(value)) containers((value as Record<string, unknown>)[key], found);
  }
  return found;
}

/**
 * Applies `edits` to a deep copy of `document` (a JSON value); the copy is made with JSON so that
 * a forbidden key inserted by an edit stays an own key, as in a parsed request body.
 */
export function mutateJson(document: unknown, edits: readonly JsonEdit[]): unknown {
  const root = { root: JSON.parse(JSON.stringify(document)) as unknown };
  for (const edit of edits) {
    const all = containers(root);
    const target = all[edit.at % all.length] as Container;
    if (Array.isArray(target)) {
      const index = target.length === 0 ? 0 : edit.at % target.length;
      if (edit.kind === 'delete') target.splice(index, 1);
      else if (edit.kind === 'wrap') target[index] = [target[index]];
      else target[index] = edit.replacement;
      continue;
    }
    const keys = Object.keys(target);
    const key = keys.length === 0 ? edit.key : (keys[edit.at % keys.length] as string);
    // Own values only: `target.__proto__` of an object without that own key is Object.prototype.
    const current = Object.hasOwn(target, key) ? target[key] : undefined;
    switch (edit.kind) {
      case 'replace':
        setOwn(target, key, edit.replacement);
        break;
      case 'delete':
        delete target[key];
        break;
      case 'rename':
        delete target[key];
        setOwn(target, edit.key, current);
        break;
      case 'recase':
        delete target[key];
        setOwn(target, key === key.toUpperCase() ? key.toLowerCase() : key.toUpperCase(), current);
        break;
      case 'wrap':
        setOwn(target, key, [current]);
        break;
      case 'unwrap':
        setOwn(target, key, Array.isArray(current) ? current[0] : current);
        break;
      case 'forbidden':
        setOwn(target, edit.key, edit.replacement);
        break;
    }
  }
  return root.root;
}
