import type { AttributeDefinition, AttributeType, SchemaDefinition } from './types.js';

/** Names that must never become object keys (prototype pollution guards). */
export const FORBIDDEN_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** RFC 7643 2.1 ATTRNAME (`ALPHA *(nameChar)`), plus the reserved `$ref`. */
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

/** True when `name` is a legal attribute name that is safe to use as an object key. */
export function isSafeAttributeName(name: string): boolean {
  return ATTRNAME.test(name) && !FORBIDDEN_ATTRIBUTE_NAMES.has(name.toLowerCase());
}

/** The input of `defineAttribute`: `name` and `type`, everything else defaults as RFC 7643 2.2 says. */
export type AttributeInput = Partial<Omit<AttributeDefinition, 'subAttributes'>> & {
  name: string;
  type: AttributeType;
  subAttributes?: readonly (AttributeInput | AttributeDefinition)[];
};

/**
 * Builds an attribute definition, filling the RFC 7643 section 2.2 defaults: `multiValued: false`,
 * `required: false`, `caseExact: false`, `mutability: 'readWrite'`, `returned: 'default'`,
 * `uniqueness: 'none'`. Throws a `TypeError` for a name that is not a legal RFC 7643 ATTRNAME or
 * that could pollute prototypes (`constructor`, `prototype`), and for a complex attribute without
 * sub-attributes.
 *
 * @example
 * const quotaBytes = defineAttribute({ name: 'quotaBytes', type: 'integer' });
 */
export function defineAttribute(input: AttributeInput): AttributeDefinition {
  if (!isSafeAttributeName(input.name)) {
    throw new TypeError(`"${input.name}" is not a valid SCIM attribute name (RFC 7643 2.1 ATTRNAME)`);
  }
  const definition: AttributeDefinition = {
    name: input.name,
    type: input.type,
    multiValued: input.multiValued ?? false,
    ...(input.description === undefined ? {} : { description: input.description }),
    required: input.required ?? false,
    caseExact: input.caseExact ?? false,
    mutability: input.mutability ?? 'readWrite',
    returned: input.returned ?? 'default',
    uniqueness: input.uniqueness ?? 'none',
    ...(input.canonicalValues === undefined ? {} : { canonicalValues: [...input.canonicalValues] }),
    ...(input.referenceTypes === undefined ? {} : { referenceTypes: [...input.referenceTypes] }),
  };
  if (input.type === 'complex') {
    const subs = input.subAttributes ?? [];
    if (subs.length === 0) throw new TypeError(`Complex attribute "${input.name}" needs subAttributes`);
    const seen = new Set<string>();
    const built: AttributeDefinition[] = [];
    for (const sub of subs) {
      if (sub.type === 'complex') {
        throw new TypeError(`Sub-attribute "${input.name}.${sub.name}" cannot be complex (RFC 7643 2.3.8)`);
      }
      const lower = sub.name.toLowerCase();
      if (seen.has(lower)) throw new TypeError(`Duplicate sub-attribute "${input.name}.${sub.name}"`);
      seen.add(lower);
      built.push(defineAttribute(sub));
    }
    definition.subAttributes = built;
  } else if (input.subAttributes !== undefined && input.subAttributes.length > 0) {
    throw new TypeError(`Only complex attributes have subAttributes ("${input.name}" is ${input.type})`);
  }
  return definition;
}

/**
 * Builds a schema definition from attribute inputs (see `defineAttribute`). Throws a `TypeError`
 * for an id that is not a URN or for duplicate attribute names (compared case-insensitively).
 *
 * @example
 * const product = defineSchema({
 *   id: 'urn:acme:params:scim:schemas:extension:product:2.0:User',
 *   name: 'ProductUser',
 *   attributes: [{ name: 'role', type: 'string' }, { name: 'quotaBytes', type: 'integer' }],
 * });
 */
export function defineSchema(input: {
  id: string;
  name: string;
  description?: string;
  attributes: readonly (AttributeInput | AttributeDefinition)[];
}): SchemaDefinition {
  if (!/^urn:[^\s]+$/i.test(input.id)) throw new TypeError(`Schema id "${input.id}" must be a URN`);
  const seen = new Set<string>();
  const attributes: AttributeDefinition[] = [];
  for (const attribute of input.attributes) {
    const lower = attribute.name.toLowerCase();
    if (seen.has(lower)) throw new TypeError(`Duplicate attribute "${attribute.name}" in schema ${input.id}`);
    seen.add(lower);
    attributes.push(defineAttribute(attribute));
  }
  return {
    id: input.id,
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    attributes,
  };
}
