export * from './types.js';
export {
  FORBIDDEN_ATTRIBUTE_NAMES,
  defineAttribute,
  defineSchema,
  isSafeAttributeName,
  type AttributeInput,
} from './define.js';
export { userSchema } from './user-schema.js';
export { enterpriseUserSchema } from './enterprise-user-schema.js';
export { groupSchema } from './group-schema.js';
export { commonAttributes, externalIdAttribute, idAttribute, metaAttribute } from './common-attributes.js';
export { groupResourceType, userResourceType } from './resource-types.js';
export { createSchemaRegistry, defaultSchemaRegistry } from './registry.js';
export { splitAttributePath } from './urn-path.js';
