import { SCHEMA_URNS } from '../schema/types.js';
import { joinUrl } from '../util/join-url.js';

/** An authentication scheme of RFC 7643 section 5. */
export interface AuthenticationScheme {
  /** `oauth`, `oauth2`, `oauthbearertoken`, `httpbasic` or `httpdigest`. */
  type: string;
  name: string;
  description: string;
  specUri?: string;
  documentationUri?: string;
  primary?: boolean;
}

/** The OAuth 2.0 bearer token scheme (RFC 6750), as in RFC 7643 section 8.5. */
export const OAUTH_BEARER_TOKEN_SCHEME: AuthenticationScheme = {
  type: 'oauthbearertoken',
  name: 'OAuth Bearer Token',
  description: 'Authentication scheme using the OAuth Bearer Token Standard',
  specUri: 'http://www.rfc-editor.org/info/rfc6750',
};

/** HTTP Basic (RFC 2617), as in RFC 7643 section 8.5. */
export const HTTP_BASIC_SCHEME: AuthenticationScheme = {
  type: 'httpbasic',
  name: 'HTTP Basic',
  description: 'Authentication scheme using the HTTP Basic Standard',
  specUri: 'http://www.rfc-editor.org/info/rfc2617',
};

/** RFC 9865 section 4: how the service provider pages. */
export interface PaginationFeatures {
  /** Cursor-based pagination is supported. */
  cursor: boolean;
  /** Index-based (startIndex) pagination is supported. */
  index: boolean;
  defaultPaginationMethod?: 'cursor' | 'index';
  defaultPageSize?: number;
  maxPageSize?: number;
  /** Seconds a cursor stays valid. */
  cursorTimeout?: number;
}

/** What `serviceProviderConfigDocument` publishes. Every flag defaults to what the toolkit's server does. */
export interface ServiceProviderFeatures {
  /** The public base URL, for `meta.location`. */
  baseUrl?: string;
  documentationUri?: string;
  /** @default true */
  patch?: boolean;
  /** @default { supported: false, maxOperations: 0, maxPayloadSize: 0 } */
  bulk?: { supported: boolean; maxOperations: number; maxPayloadSize: number };
  /** @default { supported: true, maxResults: 1000 } */
  filter?: { supported: boolean; maxResults: number };
  /** @default false */
  changePassword?: boolean;
  /** @default false */
  sort?: boolean;
  /** @default true */
  etag?: boolean;
  /** @default [OAUTH_BEARER_TOKEN_SCHEME with primary: true] */
  authenticationSchemes?: readonly AuthenticationScheme[];
  /** RFC 9865 `pagination`; omitted when not given. */
  pagination?: PaginationFeatures;
  /** `meta.created` / `lastModified` / `version`, when the host tracks them. */
  meta?: { created?: string; lastModified?: string; version?: string };
}

/**
 * The `/ServiceProviderConfig` document (RFC 7643 section 5, example 8.5), with the RFC 9865
 * `pagination` block when paging features are given.
 *
 * @example
 * serviceProviderConfigDocument({
 *   baseUrl: 'https://example.com/scim/v2',
 *   bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
 *   filter: { supported: true, maxResults: 200 },
 *   sort: true,
 *   pagination: { cursor: true, index: true, defaultPaginationMethod: 'index', defaultPageSize: 100, maxPageSize: 1000, cursorTimeout: 3600 },
 * });
 */
export function serviceProviderConfigDocument(
  features: ServiceProviderFeatures = {},
): Record<string, unknown> {
  const schemes = features.authenticationSchemes ?? [{ ...OAUTH_BEARER_TOKEN_SCHEME, primary: true }];
  const document: Record<string, unknown> = { schemas: [SCHEMA_URNS.serviceProviderConfig] };
  if (features.documentationUri !== undefined) document.documentationUri = features.documentationUri;
  document.patch = { supported: features.patch ?? true };
  const bulk = features.bulk ?? { supported: false, maxOperations: 0, maxPayloadSize: 0 };
  document.bulk = {
    supported: bulk.supported,
    maxOperations: bulk.maxOperations,
    maxPayloadSize: bulk.maxPayloadSize,
  };
  const filter = features.filter ?? { supported: true, maxResults: 1000 };
  document.filter = { supported: filter.supported, maxResults: filter.maxResults };
  document.changePassword = { supported: features.changePassword ?? false };
  document.sort = { supported: features.sort ?? false };
  document.etag = { supported: features.etag ?? true };
  document.authenticationSchemes = schemes.map((scheme) => {
    const json: Record<string, unknown> = { name: scheme.name, description: scheme.description };
    if (scheme.specUri !== undefined) json.specUri = scheme.specUri;
    if (scheme.documentationUri !== undefined) json.documentationUri = scheme.documentationUri;
    json.type = scheme.type;
    if (scheme.primary !== undefined) json.primary = scheme.primary;
    return json;
  });
  if (features.pagination !== undefined) {
    const p = features.pagination;
    const pagination: Record<string, unknown> = { cursor: p.cursor, index: p.index };
    if (p.defaultPaginationMethod !== undefined)
      pagination.defaultPaginationMethod = p.defaultPaginationMethod;
    if (p.defaultPageSize !== undefined) pagination.defaultPageSize = p.defaultPageSize;
    if (p.maxPageSize !== undefined) pagination.maxPageSize = p.maxPageSize;
    if (p.cursorTimeout !== undefined) pagination.cursorTimeout = p.cursorTimeout;
    document.pagination = pagination;
  }
  const meta: Record<string, unknown> = {};
  if (features.baseUrl !== undefined) meta.location = joinUrl(features.baseUrl, '/ServiceProviderConfig');
  meta.resourceType = 'ServiceProviderConfig';
  if (features.meta?.created !== undefined) meta.created = features.meta.created;
  if (features.meta?.lastModified !== undefined) meta.lastModified = features.meta.lastModified;
  if (features.meta?.version !== undefined) meta.version = features.meta.version;
  document.meta = meta;
  return document;
}
