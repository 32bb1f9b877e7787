import { SCHEMA_URNS, type ResourceTypeDefinition } from './types.js';

/** The built-in User resource type (RFC 7643 8.6), with the Enterprise User extension attached (optional). */
export const userResourceType: ResourceTypeDefinition = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: SCHEMA_URNS.user,
  schemaExtensions: [{ schema: SCHEMA_URNS.enterpriseUser, required: false }],
};

/** The built-in Group resource type (RFC 7643 8.6). */
export const groupResourceType: ResourceTypeDefinition = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: SCHEMA_URNS.group,
  schemaExtensions: [],
};
