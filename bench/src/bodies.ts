/** The request bodies the workloads send, shared by the load generator and `run micro`. */

/** An Okta-style create body (Okta's SCIM 2.0 docs, "Create the user"); `n` makes it unique. */
export function oktaCreateBody(n: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `bench.${n}@example.com`,
    name: { givenName: 'Bench', familyName: `User ${n}` },
    emails: [{ primary: true, value: `bench.${n}@example.com`, type: 'work' }],
    displayName: `Bench User ${n}`,
    locale: 'en-US',
    externalId: `00u${n}`,
    groups: [],
    password: 'Not-Returned-1',
    active: true,
  };
}

/** An Entra-style attribute replace (Entra sends capitalised ops and string values). */
export function entraPatchBody(sequence: number): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [
      { op: 'Replace', path: 'displayName', value: `Renamed ${sequence}` },
      { op: 'Replace', path: 'title', value: 'Engineer' },
    ],
  };
}
