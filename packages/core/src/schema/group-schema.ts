import { defineSchema } from './define.js';
import { SCHEMA_URNS, type SchemaDefinition } from './types.js';

/** The core Group schema, as RFC 7643 sections 4.2 and 8.7.1 publish it. */
export const groupSchema: SchemaDefinition = defineSchema({
  id: SCHEMA_URNS.group,
  name: 'Group',
  description: 'Group',
  attributes: [
    {
      name: 'displayName',
      type: 'string',
      description: 'A human-readable name for the Group. REQUIRED.',
    },
    {
      name: 'members',
      type: 'complex',
      multiValued: true,
      description: 'A list of members of the Group.',
      subAttributes: [
        {
          name: 'value',
          type: 'string',
          mutability: 'immutable',
          description: 'Identifier of the member of this Group.',
        },
        {
          name: '$ref',
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          mutability: 'immutable',
          description: 'The URI corresponding to a SCIM resource that is a member of this Group.',
        },
        {
          name: 'type',
          type: 'string',
          canonicalValues: ['User', 'Group'],
          mutability: 'immutable',
          description: "A label indicating the type of resource, e.g., 'User' or 'Group'.",
        },
        // RFC 7643 4.2 lists `display` among the members' sub-attributes; IdPs send it.
        {
          name: 'display',
          type: 'string',
          mutability: 'immutable',
          description: 'A human-readable name for the member, primarily used for display purposes.',
        },
      ],
    },
  ],
});
