import type { ScimResource } from '../schema/types.js';
import { SCHEMA_URNS } from '../schema/types.js';

/** Test fixtures shared by the PATCH tests (not exported from the package). */
export const PATCH_OP = SCHEMA_URNS.patchOp;
export const USER = SCHEMA_URNS.user;
export const GROUP = SCHEMA_URNS.group;
export const ENTERPRISE = SCHEMA_URNS.enterpriseUser;

/** A PatchOp message with the given operations. */
export function patch(...Operations: unknown[]): { schemas: string[]; Operations: unknown[] } {
  return { schemas: [PATCH_OP], Operations };
}

/** Barbara Jensen, after RFC 7643 8.2, trimmed. */
export function bjensen(): ScimResource {
  return {
    schemas: [USER, ENTERPRISE],
    id: '2819c223-7f76-453a-919d-413861904646',
    externalId: '701984',
    userName: 'bjensen@example.com',
    name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara' },
    displayName: 'Babs Jensen',
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    addresses: [
      {
        type: 'work',
        streetAddress: '100 Universal City Plaza',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'USA',
        primary: true,
      },
      { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', country: 'USA' },
    ],
    [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations' },
    meta: { resourceType: 'User', version: 'W/"3"' },
  };
}

/** The group of RFC 7644 3.5.2's examples, with its members loaded. */
export function tourGuides(): ScimResource {
  return {
    schemas: [GROUP],
    id: 'acbf3ae7-8463-4692-b4fd-9b4da3f908ce',
    displayName: 'Tour Guides',
    members: [
      { value: '2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen', type: 'User' },
      { value: '902c246b-6245-4190-8e05-00816be7344a', display: 'Mandy Pepperidge', type: 'User' },
    ],
    meta: { resourceType: 'Group', version: 'W/"1"' },
  };
}
