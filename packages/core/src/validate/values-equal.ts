import type { AttributeDefinition } from '../schema/types.js';
import { isPlainObject } from '../util/is-plain-object.js';

function scalarEqual(a: unknown, b: unknown, definition: AttributeDefinition): boolean {
  if (
    typeof a === 'string' &&
    typeof b === 'string' &&
    !definition.caseExact &&
    definition.type !== 'binary'
  ) {
    return a.toLowerCase() === b.toLowerCase();
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const sub of definition.subAttributes ?? []) {
      if (!scalarEqual(a[sub.name], b[sub.name], sub)) return false;
    }
    return true;
  }
  return a === b;
}

/**
 * True when two canonical values of an attribute are equal as SCIM compares them: strings of a
 * `caseExact: false` attribute case-insensitively, complex values sub-attribute by sub-attribute,
 * multi-valued attributes as sets.
 */
export function valuesEqual(a: unknown, b: unknown, definition: AttributeDefinition): boolean {
  if (!definition.multiValued) return scalarEqual(a, b, definition);
  const left = Array.isArray(a) ? a : a === undefined ? [] : [a];
  const right = Array.isArray(b) ? b : b === undefined ? [] : [b];
  if (left.length !== right.length) return false;
  return (
    left.every((item) => right.some((other) => scalarEqual(item, other, definition))) &&
    right.every((item) => left.some((other) => scalarEqual(item, other, definition)))
  );
}
