import { defineAttribute } from './define.js';
import type { AttributeDefinition } from './types.js';

/** `id` (RFC 7643 3.1): assigned by the service provider, always returned, never written by clients. */
export const idAttribute: AttributeDefinition = defineAttribute({
  name: 'id',
  type: 'string',
  caseExact: true,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'server',
  description: 'A unique identifier for a SCIM resource as defined by the service provider.',
});

/** `externalId` (RFC 7643 3.1): the provisioning client's own identifier. */
export const externalIdAttribute: AttributeDefinition = defineAttribute({
  name: 'externalId',
  type: 'string',
  caseExact: true,
  description: 'A String that is an identifier for the resource as defined by the provisioning client.',
});

/** `meta` (RFC 7643 3.1) with its sub-attributes, all read-only. */
export const metaAttribute: AttributeDefinition = defineAttribute({
  name: 'meta',
  type: 'complex',
  mutability: 'readOnly',
  description: 'A complex attribute containing resource metadata.',
  subAttributes: [
    {
      name: 'resourceType',
      type: 'string',
      caseExact: true,
      mutability: 'readOnly',
      description: 'The name of the resource type of the resource.',
    },
    {
      name: 'created',
      type: 'dateTime',
      mutability: 'readOnly',
      description: 'The DateTime that the resource was added to the service provider.',
    },
    {
      name: 'lastModified',
      type: 'dateTime',
      mutability: 'readOnly',
      description:
        'The most recent DateTime that the details of this resource were updated at the service provider.',
    },
    {
      name: 'location',
      type: 'reference',
      referenceTypes: ['uri'],
      caseExact: true,
      mutability: 'readOnly',
      description: 'The URI of the resource being returned.',
    },
    {
      name: 'version',
      type: 'string',
      caseExact: true,
      mutability: 'readOnly',
      description: 'The version of the resource being returned.',
    },
  ],
});

/** The attributes every resource has (RFC 7643 3.1), in response order. */
export const commonAttributes: readonly AttributeDefinition[] = [
  idAttribute,
  externalIdAttribute,
  metaAttribute,
];
