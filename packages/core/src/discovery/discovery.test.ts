import { describe, expect, it } from 'vitest';
import { isScimError } from '../errors/scim-error.js';
import { defineSchema } from '../schema/define.js';
import { createSchemaRegistry, defaultSchemaRegistry } from '../schema/registry.js';
import { SCHEMA_URNS } from '../schema/types.js';
import { listResponse } from './list-response.js';
import { resourceTypeDocument, resourceTypesResponse } from './resource-type-documents.js';
import { schemaDocument, schemasResponse } from './schema-documents.js';
import {
  HTTP_BASIC_SCHEME,
  OAUTH_BEARER_TOKEN_SCHEME,
  serviceProviderConfigDocument,
} from './service-provider-config.js';

const BASE = 'https://example.com/v2';

describe('serviceProviderConfigDocument', () => {
  it('reproduces the RFC 7643 8.5 example field for field', () => {
    const document = serviceProviderConfigDocument({
      baseUrl: BASE,
      documentationUri: 'http://example.com/help/scim.html',
      patch: true,
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: true,
      sort: true,
      etag: true,
      authenticationSchemes: [
        {
          ...OAUTH_BEARER_TOKEN_SCHEME,
          documentationUri: 'http://example.com/help/oauth.html',
          primary: true,
        },
        { ...HTTP_BASIC_SCHEME, documentationUri: 'http://example.com/help/httpBasic.html' },
      ],
      meta: {
        created: '2010-01-23T04:56:22Z',
        lastModified: '2011-05-13T04:42:34Z',
        version: 'W/"3694e05e9dff594"',
      },
    });
    expect(document).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri: 'http://example.com/help/scim.html',
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          name: 'OAuth Bearer Token',
          description: 'Authentication scheme using the OAuth Bearer Token Standard',
          specUri: 'http://www.rfc-editor.org/info/rfc6750',
          documentationUri: 'http://example.com/help/oauth.html',
          type: 'oauthbearertoken',
          primary: true,
        },
        {
          name: 'HTTP Basic',
          description: 'Authentication scheme using the HTTP Basic Standard',
          specUri: 'http://www.rfc-editor.org/info/rfc2617',
          documentationUri: 'http://example.com/help/httpBasic.html',
          type: 'httpbasic',
        },
      ],
      meta: {
        location: 'https://example.com/v2/ServiceProviderConfig',
        resourceType: 'ServiceProviderConfig',
        created: '2010-01-23T04:56:22Z',
        lastModified: '2011-05-13T04:42:34Z',
        version: 'W/"3694e05e9dff594"',
      },
    });
  });

  it('publishes defaults and the RFC 9865 pagination block', () => {
    const document = serviceProviderConfigDocument({
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'cursor',
        defaultPageSize: 100,
        maxPageSize: 250,
        cursorTimeout: 3600,
      },
    });
    expect(document).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken', primary: true }],
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'cursor',
        defaultPageSize: 100,
        maxPageSize: 250,
        cursorTimeout: 3600,
      },
      meta: { resourceType: 'ServiceProviderConfig' },
    });
    expect(serviceProviderConfigDocument()).not.toHaveProperty('pagination');
    expect(serviceProviderConfigDocument({ pagination: { cursor: false, index: true } }).pagination).toEqual({
      cursor: false,
      index: true,
    });
  });
});

describe('resource types', () => {
  it('reproduces the RFC 7643 8.6 examples', () => {
    const registry = createSchemaRegistry({
      extensions: { User: [{ schema: SCHEMA_URNS.enterpriseUser, required: true }] },
    });
    expect(resourceTypesResponse(registry, BASE)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 2,
      itemsPerPage: 2,
      startIndex: 1,
      Resources: [
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
          id: 'User',
          name: 'User',
          endpoint: '/Users',
          description: 'User Account',
          schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
          schemaExtensions: [
            { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: true },
          ],
          meta: { location: 'https://example.com/v2/ResourceTypes/User', resourceType: 'ResourceType' },
        },
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
          id: 'Group',
          name: 'Group',
          endpoint: '/Groups',
          description: 'Group',
          schema: 'urn:ietf:params:scim:schemas:core:2.0:Group',
          meta: { location: 'https://example.com/v2/ResourceTypes/Group', resourceType: 'ResourceType' },
        },
      ],
    });
  });

  it('serves one resource type case-insensitively and 404s unknown ones', () => {
    expect(resourceTypeDocument(defaultSchemaRegistry, 'group', BASE).id).toBe('Group');
    let caught: unknown;
    try {
      resourceTypeDocument(defaultSchemaRegistry, 'Device', BASE);
    } catch (error) {
      caught = error;
    }
    expect(isScimError(caught) && caught.status).toBe(404);
  });
});

describe('schemas', () => {
  it('publishes attributes as RFC 7643 8.7.1 does', () => {
    const user = schemaDocument(defaultSchemaRegistry, SCHEMA_URNS.user.toLowerCase(), BASE);
    expect(user).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: SCHEMA_URNS.user,
      name: 'User',
      description: 'User Account',
      meta: { resourceType: 'Schema', location: `https://example.com/v2/Schemas/${SCHEMA_URNS.user}` },
    });
    const attributes = user.attributes as Record<string, unknown>[];
    expect(attributes[0]).toEqual({
      name: 'userName',
      type: 'string',
      multiValued: false,
      description:
        "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value.  This identifier MUST be unique across the service provider's entire set of Users. REQUIRED.",
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    });
    expect(attributes.find((a) => a.name === 'profileUrl')).toMatchObject({
      type: 'reference',
      referenceTypes: ['external'],
    });
    const emails = attributes.find((a) => a.name === 'emails') as {
      subAttributes: Record<string, unknown>[];
    };
    expect(emails.subAttributes.map((s) => s.name)).toEqual(['value', 'display', 'type', 'primary']);
    expect(emails.subAttributes[2]).toMatchObject({ canonicalValues: ['work', 'home', 'other'] });
    const group = schemaDocument(defaultSchemaRegistry, SCHEMA_URNS.group, BASE);
    const members = (group.attributes as Record<string, unknown>[])[1] as {
      subAttributes: Record<string, unknown>[];
    };
    expect(members.subAttributes[1]).toMatchObject({
      name: '$ref',
      type: 'reference',
      referenceTypes: ['User', 'Group'],
      mutability: 'immutable',
    });
  });

  it("words every primary sub-attribute's description as RFC 7643 8.7.1 does", () => {
    const user = schemaDocument(defaultSchemaRegistry, SCHEMA_URNS.user, BASE);
    const primaries = (user.attributes as { subAttributes?: Record<string, unknown>[] }[])
      .flatMap((attribute) => attribute.subAttributes ?? [])
      .filter((sub) => sub.name === 'primary');
    expect(primaries).toHaveLength(8);
    for (const primary of primaries) {
      expect(primary.description).toMatch(
        /The primary attribute value 'true' MUST appear no more than once\.$/,
      );
    }
  });

  it('lists every schema, including product extensions, as a ListResponse', () => {
    const product = 'urn:acme:params:scim:schemas:extension:product:2.0:User';
    const registry = createSchemaRegistry({
      schemas: [
        defineSchema({
          id: product,
          name: 'ProductUser',
          attributes: [
            { name: 'role', type: 'string' },
            { name: 'quotaBytes', type: 'integer' },
          ],
        }),
      ],
      extensions: { User: [{ schema: product, required: false }] },
    });
    const response = schemasResponse(registry, BASE);
    expect(response.totalResults).toBe(4);
    expect(response.Resources.map((s) => s.id)).toEqual([
      SCHEMA_URNS.user,
      SCHEMA_URNS.enterpriseUser,
      SCHEMA_URNS.group,
      product,
    ]);
    expect(response.Resources[3]).toEqual({
      schemas: [SCHEMA_URNS.schema],
      id: product,
      name: 'ProductUser',
      attributes: [
        {
          name: 'role',
          type: 'string',
          multiValued: false,
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
        {
          name: 'quotaBytes',
          type: 'integer',
          multiValued: false,
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
      meta: { resourceType: 'Schema', location: `${BASE}/Schemas/${product}` },
    });
    expect(resourceTypeDocument(registry, 'User', BASE).schemaExtensions).toEqual([
      { schema: SCHEMA_URNS.enterpriseUser, required: false },
      { schema: product, required: false },
    ]);
    expect(() => schemaDocument(registry, 'urn:nope', BASE)).toThrow(/not found/);
  });
});

describe('listResponse', () => {
  it('uses startIndex for index paging and cursors for RFC 9865', () => {
    expect(listResponse([1, 2], { totalResults: 10, startIndex: 3 })).toEqual({
      schemas: [SCHEMA_URNS.listResponse],
      totalResults: 10,
      itemsPerPage: 2,
      startIndex: 3,
      Resources: [1, 2],
    });
    expect(listResponse([1], { totalResults: 5, nextCursor: 'abc' })).toEqual({
      schemas: [SCHEMA_URNS.listResponse],
      totalResults: 5,
      itemsPerPage: 1,
      nextCursor: 'abc',
      Resources: [1],
    });
  });
});
