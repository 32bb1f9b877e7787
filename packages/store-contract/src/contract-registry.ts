import { type SchemaRegistry, defaultSchemaRegistry, defineSchema } from '@scim/core';

/** The URN of the suite's test extension of User. */
export const CONTRACT_EXTENSION_URN = 'urn:scim:contract:test:2.0:User';

/** The suite's test extension: the attribute types the core schemas do not have. */
export const contractExtensionSchema = defineSchema({
  id: CONTRACT_EXTENSION_URN,
  name: 'ContractTestUser',
  description: 'Attributes the store contract suite uses to cover every attribute type.',
  attributes: [
    { name: 'level', type: 'integer' },
    { name: 'score', type: 'decimal' },
    { name: 'hiredAt', type: 'dateTime' },
    { name: 'badge', type: 'string', caseExact: true },
    { name: 'tags', type: 'string', multiValued: true },
    { name: 'employeeKey', type: 'string', uniqueness: 'server' },
  ],
});

let cached: SchemaRegistry | undefined;

/**
 * The registry the suite writes its data against: the default registry plus the test extension
 * (`level` integer, `score` decimal, `hiredAt` dateTime, `badge` caseExact string, `tags`
 * multi-valued string, `employeeKey` unique string) attached to User.
 */
export function contractRegistry(): SchemaRegistry {
  cached ??= defaultSchemaRegistry.extend({
    schemas: [contractExtensionSchema],
    extensions: { User: [{ schema: CONTRACT_EXTENSION_URN, required: false }] },
  });
  return cached;
}
