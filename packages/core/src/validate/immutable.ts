import { ScimError } from '../errors/scim-error.js';
import type { AttributeDefinition } from '../schema/types.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { valuesEqual } from './values-equal.js';

type Json = Record<string, unknown>;

/** Reads a sub-attribute by its canonical name, falling back to any letter case. */
function readSub(object: Json, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}

const unset = (value: unknown): boolean => value === undefined || value === null;

/**
 * Keeps the immutable sub-attributes of one complex value: a sub-attribute set in `before` must be
 * equal in `value` (else 400 `mutability` naming `path.sub`); one that `value` omits is copied from
 * `before`. `value` is modified in place.
 */
export function keepImmutableSubAttributes(
  definition: AttributeDefinition,
  value: Json,
  before: unknown,
  path: string,
): void {
  if (!isPlainObject(before)) return;
  for (const sub of definition.subAttributes ?? []) {
    if (sub.mutability !== 'immutable') continue;
    const old = readSub(before, sub.name);
    if (unset(old)) continue;
    const next = readSub(value, sub.name);
    if (unset(next)) {
      value[sub.name] = old;
    } else if (!valuesEqual(next, old, sub)) {
      throw new ScimError(
        400,
        'mutability',
        `Attribute "${path}.${sub.name}" is immutable and cannot be changed once set`,
      );
    }
  }
}

/**
 * RFC 7643 2.2: an immutable (sub-)attribute "SHALL NOT be updated" once set; RFC 7644 3.5.1: a PUT's
 * value for it must match, and 3.5.2: a PATCH must not modify it. In a multi-valued complex attribute
 * the elements are told apart by their `value` sub-attribute (RFC 7643 2.4: the attribute's
 * significant value; for Group `members` the member id). An element of `elements` whose `value`
 * equals an element of `before` is that element: its immutable sub-attributes must match, and are
 * copied from `before` when omitted. An element with a new `value` is an addition and an element of
 * `before` left out is a removal, both allowed unless the attribute itself is immutable (checked by
 * the caller). Without a `value` sub-attribute elements have no identity, so nothing more is checked.
 * `elements` are modified in place; `path` is the attribute's path for error details.
 */
export function keepImmutableElements(
  definition: AttributeDefinition,
  elements: readonly unknown[],
  before: unknown,
  path: string,
): void {
  if (!Array.isArray(before) || before.length === 0) return;
  const subs = definition.subAttributes ?? [];
  const key = subs.find((sub) => sub.name === 'value');
  if (key === undefined || !subs.some((sub) => sub !== key && sub.mutability === 'immutable')) return;
  for (const element of elements) {
    if (!isPlainObject(element)) continue;
    const id = readSub(element, key.name);
    if (unset(id)) continue;
    const old = before.find((candidate): candidate is Json => {
      if (!isPlainObject(candidate)) return false;
      const oldId = readSub(candidate, key.name);
      return !unset(oldId) && valuesEqual(oldId, id, key);
    });
    if (old === undefined) continue;
    keepImmutableSubAttributes(definition, element, old, `${path}[${key.name} eq ${JSON.stringify(id)}]`);
  }
}
