import type { FilterNode, FilterPath, QueryResult, ScimResource, StoredResource } from '@scim/core';
import {
  isScimError,
  parseAttributePath,
  parseFilter,
  projectResource,
  renderResource,
  SCHEMA_URNS,
  toScimResource,
  ScimError,
} from '@scim/core';
import { jsonResponse } from '../http/responses.js';
import type { ScimResponse } from '../types.js';
import type { ProtocolRequest, RequestContext } from './context.js';
import { wantsGroups, wantsMembers } from './members.js';
import { assertFilterable, assertSortable } from './never-returned.js';

/** The parameters of a list or search, from the query string or a SearchRequest body. */
export interface SearchParameters {
  filter?: string;
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
  startIndex?: number;
  count?: number;
  cursor?: string;
  attributes?: string;
  excludedAttributes?: string;
}

function toInteger(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(number))
    throw new ScimError(400, 'invalidValue', `${name} must be an integer, got ${JSON.stringify(value)}`);
  return number;
}

function toText(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  if (typeof value !== 'string') throw new ScimError(400, 'invalidValue', `${name} must be a string`);
  return value;
}

function toSortOrder(value: unknown): 'ascending' | 'descending' | undefined {
  const text = toText('sortOrder', value);
  if (text === undefined || text === '') return undefined;
  const lower = text.toLowerCase();
  if (lower !== 'ascending' && lower !== 'descending') {
    throw new ScimError(400, 'invalidValue', `sortOrder must be "ascending" or "descending", got "${text}"`);
  }
  return lower;
}

function getCaseInsensitive(source: Record<string, unknown>, key: string): unknown {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(source)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Reads search parameters from a query string (GET) or a SearchRequest body (POST .search). */
export function searchParameters(req: ProtocolRequest, fromBody: boolean): SearchParameters {
  let read: (key: string) => unknown;
  if (fromBody) {
    const body = req.body ?? {};
    const schemas = body.schemas;
    if (
      schemas !== undefined &&
      !(
        Array.isArray(schemas) &&
        schemas.some(
          (s) => typeof s === 'string' && s.toLowerCase() === SCHEMA_URNS.searchRequest.toLowerCase(),
        )
      )
    ) {
      throw new ScimError(
        400,
        'invalidSyntax',
        `A search body must have schemas ["${SCHEMA_URNS.searchRequest}"]`,
      );
    }
    read = (key) => getCaseInsensitive(body, key);
  } else {
    read = (key) => {
      for (const [k, v] of req.query) if (k.toLowerCase() === key.toLowerCase()) return v;
      return undefined;
    };
  }
  const params: SearchParameters = {};
  const filter = toText('filter', read('filter'));
  if (filter !== undefined && filter.trim() !== '') params.filter = filter;
  const sortBy = toText('sortBy', read('sortBy'));
  if (sortBy !== undefined && sortBy.trim() !== '') params.sortBy = sortBy;
  const sortOrder = toSortOrder(read('sortOrder'));
  if (sortOrder) params.sortOrder = sortOrder;
  const startIndex = toInteger('startIndex', read('startIndex'));
  if (startIndex !== undefined) params.startIndex = startIndex;
  const count = toInteger('count', read('count'));
  if (count !== undefined) params.count = count;
  const cursor = read('cursor');
  if (cursor !== undefined && cursor !== null) params.cursor = toText('cursor', cursor) ?? '';
  const attributes = toText('attributes', read('attributes'));
  if (attributes !== undefined) params.attributes = attributes;
  const excludedAttributes = toText('excludedAttributes', read('excludedAttributes'));
  if (excludedAttributes !== undefined) params.excludedAttributes = excludedAttributes;
  return params;
}

interface PageWindow {
  count: number;
  startIndex: number;
}

function pageWindow(ctx: RequestContext, params: SearchParameters): PageWindow {
  // RFC 7644 3.4.2.4: startIndex < 1 means 1, a negative count means 0; counts beyond the server's
  // maximum are capped.
  const startIndex = Math.max(1, params.startIndex ?? 1);
  const requested = params.count ?? ctx.limits.defaultPageSize;
  const count = Math.min(Math.max(0, requested), ctx.limits.maxPageSize);
  return { startIndex, count };
}

/** Whether a list of `type` shows users' `groups` (returned by default, RFC 7643 4.1.2). */
function listsGroups(type: string, params: SearchParameters): boolean {
  return type === 'User' && wantsGroups(params.attributes, params.excludedAttributes);
}

/**
 * The page's resources as the response shows them. A user's `groups` come with the page when the
 * store read them (`includeGroups`), else from `listGroupsOf`, so a list shows what GET shows.
 */
async function projectAll(
  ctx: RequestContext,
  type: string,
  stored: readonly StoredResource[],
  params: SearchParameters,
): Promise<ScimResource[]> {
  const withGroups = listsGroups(type, params);
  const projection = params.attributes !== undefined || params.excludedAttributes !== undefined;
  const out: ScimResource[] = [];
  for (const resource of stored) {
    const groups = withGroups
      ? (resource.groups ?? (await ctx.store.listGroupsOf(ctx.tenantId, resource.id)))
      : undefined;
    const options = { baseUrl: ctx.baseUrl, registry: ctx.registry, ...(groups ? { groups } : {}) };
    // The usual list request, without attributes/excludedAttributes: rendered and projected in one pass.
    if (!projection) {
      out.push(renderResource(resource, options));
      continue;
    }
    out.push(
      projectResource(toScimResource(resource, options), {
        registry: ctx.registry,
        resourceType: type,
        ...(params.attributes !== undefined ? { attributes: params.attributes } : {}),
        ...(params.excludedAttributes !== undefined ? { excludedAttributes: params.excludedAttributes } : {}),
      }),
    );
  }
  return out;
}

function compile(
  ctx: RequestContext,
  type: string,
  params: SearchParameters,
): { filter?: FilterNode; sortBy?: FilterPath } {
  const out: { filter?: FilterNode; sortBy?: FilterPath } = {};
  if (params.filter !== undefined) {
    out.filter = parseFilter(params.filter, { registry: ctx.registry, resourceType: type });
    assertFilterable(ctx, type, out.filter);
  }
  if (params.sortBy !== undefined) {
    if (!ctx.store.capabilities.sorting) {
      throw new ScimError(
        400,
        'invalidValue',
        'Sorting is not supported by this service provider (see /ServiceProviderConfig)',
      );
    }
    try {
      out.sortBy = parseAttributePath(params.sortBy, { registry: ctx.registry, resourceType: type });
    } catch (error) {
      if (isScimError(error)) throw new ScimError(400, 'invalidValue', `sortBy: ${error.detail}`);
      throw error;
    }
    assertSortable(ctx, type, out.sortBy);
  }
  return out;
}

/** GET /{type} and POST /{type}/.search */
export async function listResources(
  ctx: RequestContext,
  type: string,
  req: ProtocolRequest,
  fromBody: boolean,
): Promise<ScimResponse> {
  const params = searchParameters(req, fromBody);
  const window = pageWindow(ctx, params);
  const compiled = compile(ctx, type, params);
  const cursorPaging = params.cursor !== undefined;
  if (cursorPaging && params.startIndex !== undefined) {
    throw new ScimError(400, 'invalidValue', 'Use either cursor or startIndex, not both');
  }
  if (cursorPaging && !ctx.store.capabilities.cursorPaging) {
    throw new ScimError(
      400,
      'invalidCursor',
      'Cursor paging is not supported by this service provider; use startIndex',
    );
  }
  const includeMembers =
    type === 'Group' && window.count > 0 && wantsMembers(params.attributes, params.excludedAttributes);
  const result: QueryResult = await ctx.store.queryResources(ctx.tenantId, {
    resourceType: type,
    ...compiled,
    ...(params.sortOrder ? { sortOrder: params.sortOrder } : {}),
    ...(cursorPaging ? { cursor: params.cursor! } : { startIndex: window.startIndex }),
    count: window.count,
    includeMembers,
    ...(listsGroups(type, params) && window.count > 0 ? { includeGroups: true } : {}),
  });
  const resources = await projectAll(ctx, type, result.resources, params);
  const body: Record<string, unknown> = {
    schemas: [SCHEMA_URNS.listResponse],
    totalResults: result.totalResults,
    itemsPerPage: resources.length,
  };
  if (!cursorPaging) body.startIndex = window.startIndex;
  if (result.nextCursor !== undefined) body.nextCursor = result.nextCursor;
  if (result.previousCursor !== undefined) body.previousCursor = result.previousCursor;
  body.Resources = resources;
  return jsonResponse(200, body);
}

/**
 * POST /.search across every resource type: types are searched in registry order and their results
 * concatenated; a type for which the filter names unknown attributes contributes nothing.
 */
export async function searchAll(ctx: RequestContext, req: ProtocolRequest): Promise<ScimResponse> {
  const params = searchParameters(req, true);
  if (params.cursor !== undefined) {
    throw new ScimError(
      400,
      'invalidCursor',
      'Cursor paging is not supported for a search across resource types; use startIndex',
    );
  }
  if (params.sortBy !== undefined) {
    throw new ScimError(400, 'invalidValue', 'sortBy is not supported for a search across resource types');
  }
  const window = pageWindow(ctx, params);
  const types = ctx.registry.listResourceTypes().map((t) => t.name);
  const compiled: { type: string; filter?: FilterNode }[] = [];
  let firstError: unknown;
  for (const type of types) {
    try {
      compiled.push({
        type,
        ...compile(ctx, type, { ...(params.filter !== undefined ? { filter: params.filter } : {}) }),
      });
    } catch (error) {
      if (!isScimError(error) || error.scimType !== 'invalidFilter') throw error;
      firstError ??= error;
    }
  }
  if (compiled.length === 0) throw firstError;
  let total = 0;
  let skip = window.startIndex - 1;
  let remaining = window.count;
  const resources: ScimResource[] = [];
  for (const { type, filter } of compiled) {
    const totals = await ctx.store.queryResources(ctx.tenantId, {
      resourceType: type,
      ...(filter ? { filter } : {}),
      count: 0,
    });
    total += totals.totalResults;
    if (remaining === 0 || skip >= totals.totalResults) {
      skip = Math.max(0, skip - totals.totalResults);
      continue;
    }
    const page = await ctx.store.queryResources(ctx.tenantId, {
      resourceType: type,
      ...(filter ? { filter } : {}),
      startIndex: skip + 1,
      count: remaining,
      includeMembers: type === 'Group' && wantsMembers(params.attributes, params.excludedAttributes),
      ...(listsGroups(type, params) ? { includeGroups: true } : {}),
    });
    skip = 0;
    remaining -= page.resources.length;
    resources.push(...(await projectAll(ctx, type, page.resources, params)));
  }
  return jsonResponse(200, {
    schemas: [SCHEMA_URNS.listResponse],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex: window.startIndex,
    Resources: resources,
  });
}
