import { defineSchema } from './define.js';
import { SCHEMA_URNS, type SchemaDefinition } from './types.js';

/** The Enterprise User extension, as RFC 7643 sections 4.3 and 8.7.1 publish it. */
export const enterpriseUserSchema: SchemaDefinition = defineSchema({
  id: SCHEMA_URNS.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    {
      name: 'employeeNumber',
      type: 'string',
      description:
        'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.',
    },
    { name: 'costCenter', type: 'string', description: 'Identifies the name of a cost center.' },
    { name: 'organization', type: 'string', description: 'Identifies the name of an organization.' },
    { name: 'division', type: 'string', description: 'Identifies the name of a division.' },
    { name: 'department', type: 'string', description: 'Identifies the name of a department.' },
    {
      name: 'manager',
      type: 'complex',
      description:
        "The User's manager.  A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.",
      subAttributes: [
        {
          name: 'value',
          type: 'string',
          description: "The id of the SCIM resource representing the User's manager.  REQUIRED.",
        },
        {
          name: '$ref',
          type: 'reference',
          referenceTypes: ['User'],
          description: "The URI of the SCIM resource representing the User's manager.  REQUIRED.",
        },
        {
          name: 'displayName',
          type: 'string',
          mutability: 'readOnly',
          description: "The displayName of the User's manager. OPTIONAL and READ-ONLY.",
        },
      ],
    },
  ],
});
