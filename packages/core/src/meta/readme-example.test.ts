import { expect, it } from 'vitest';
import { createSchemaRegistry, defineSchema } from '../schema/index.js';
import { validateResource } from '../validate/index.js';
import { projectResource } from '../project/index.js';
import { schemasResponse } from '../discovery/index.js';
import { toScimResource } from './index.js';

// Keeps the package README's example honest: the same calls, the same results.
it('runs the README example', () => {
  const PRODUCT = 'urn:acme:params:scim:schemas:extension:product:2.0:User';
  const registry = createSchemaRegistry({
    schemas: [
      defineSchema({
        id: PRODUCT,
        name: 'ProductUser',
        attributes: [
          { name: 'role', type: 'string' },
          { name: 'quotaBytes', type: 'integer' },
        ],
      }),
    ],
    extensions: { User: [{ schema: PRODUCT, required: false }] },
  });
  const data = validateResource(
    {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      UserName: 'bjensen@example.com',
      Active: 'True',
      [PRODUCT]: { quotaBytes: '1048576' },
    },
    { registry, resourceType: 'User', mode: 'create' },
  );
  expect(data).toEqual({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', PRODUCT],
    userName: 'bjensen@example.com',
    active: true,
    [PRODUCT]: { quotaBytes: 1048576 },
  });
  const json = toScimResource(
    {
      id: '2819c223',
      resourceType: 'User',
      version: 1,
      created: '2024-01-01T00:00:00Z',
      lastModified: '2024-01-01T00:00:00Z',
      data,
    },
    { baseUrl: 'https://example.com/scim/v2', registry },
  );
  expect(projectResource(json, { registry, resourceType: 'User', attributes: 'userName' })).toEqual({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', PRODUCT],
    id: '2819c223',
    userName: 'bjensen@example.com',
    meta: { resourceType: 'User' },
  });
  expect(schemasResponse(registry, 'https://example.com/scim/v2').totalResults).toBe(4);
});
