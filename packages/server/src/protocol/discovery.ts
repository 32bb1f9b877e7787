import {
  type AuthenticationScheme,
  HTTP_BASIC_SCHEME,
  OAUTH_BEARER_TOKEN_SCHEME,
  resourceTypeDocument,
  resourceTypesResponse,
  schemaDocument,
  schemasResponse,
  type ServiceProviderFeatures,
  serviceProviderConfigDocument,
} from '@scim/core';
import { jsonResponse } from '../http/responses.js';
import type { ScimAuthOptions, ScimResponse } from '../types.js';
import type { RequestContext } from './context.js';

/** The server's real capabilities, as /ServiceProviderConfig publishes them. */
export function serviceProviderFeatures(ctx: RequestContext, auth: ScimAuthOptions): ServiceProviderFeatures {
  const schemes: AuthenticationScheme[] = [];
  if (auth.bearer ?? true) {
    schemes.push({
      ...OAUTH_BEARER_TOKEN_SCHEME,
      description: 'A bearer token issued for the tenant',
      primary: true,
    });
  }
  if (auth.jwt) {
    schemes.push({
      ...OAUTH_BEARER_TOKEN_SCHEME,
      name: 'OAuth 2.0 JWT',
      description: 'A JWT signed by a trusted issuer',
      primary: schemes.length === 0,
    });
  }
  if (auth.basic) schemes.push({ ...HTTP_BASIC_SCHEME, primary: schemes.length === 0 });
  return {
    baseUrl: ctx.baseUrl,
    patch: true,
    bulk: {
      supported: true,
      maxOperations: ctx.limits.maxBulkOperations,
      maxPayloadSize: ctx.limits.maxBulkPayloadBytes,
    },
    filter: { supported: true, maxResults: ctx.limits.maxPageSize },
    changePassword: false,
    sort: ctx.store.capabilities.sorting,
    etag: true,
    authenticationSchemes: schemes,
    pagination: {
      cursor: ctx.store.capabilities.cursorPaging,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: ctx.limits.defaultPageSize,
      maxPageSize: ctx.limits.maxPageSize,
    },
  };
}

/** GET /ServiceProviderConfig */
export function serviceProviderConfig(ctx: RequestContext, auth: ScimAuthOptions): ScimResponse {
  return jsonResponse(200, serviceProviderConfigDocument(serviceProviderFeatures(ctx, auth)));
}

/** GET /ResourceTypes and /ResourceTypes/{name} */
export function resourceTypes(ctx: RequestContext, id: string | undefined): ScimResponse {
  if (id === undefined) return jsonResponse(200, resourceTypesResponse(ctx.registry, ctx.baseUrl));
  return jsonResponse(200, resourceTypeDocument(ctx.registry, id, ctx.baseUrl));
}

/** GET /Schemas and /Schemas/{urn} */
export function schemas(ctx: RequestContext, id: string | undefined): ScimResponse {
  if (id === undefined) return jsonResponse(200, schemasResponse(ctx.registry, ctx.baseUrl));
  return jsonResponse(200, schemaDocument(ctx.registry, id, ctx.baseUrl));
}
