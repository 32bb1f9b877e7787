import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoleMapping, Store } from '@scim/core';
import { hashSecret } from '@scim/server';
import type { Logger } from 'pino';
import { type AdminService, createAdminService } from '../admin/service.ts';
import { createAdminAuth } from './admin-auth.ts';
import { ApiError, toApiError } from './api-error.ts';
import {
  oneOf,
  optionalBoolean,
  optionalPositiveInt,
  optionalString,
  optionalTime,
  requiredInteger,
  requiredString,
  requiredStringArray,
} from './body-fields.ts';
import { addMapping, searchFilter, updateMapping } from './extra-operations.ts';
import { readJsonBody, sendJson } from './http-io.ts';

/** Options of {@link createAdminApi}. */
export interface AdminApiOptions {
  store: Store;
  /** The admin credential (`SCIM_ADMIN_TOKEN`). Absent: every call answers 503 saying how to enable it. */
  adminToken: string | undefined;
  /** The public SCIM base URL shown on the settings page (one string, or per tenant). */
  scimBaseUrl: string | ((tenantId: string) => string);
  /** The tenant the page opens on. @default 'default' */
  defaultTenant?: string;
  /** The shared admin service (the CLI's). @default createAdminService({ store, baseUrl: scimBaseUrl }) */
  service?: AdminService;
  /** Where the API is mounted. @default '/admin/api' */
  basePath?: string;
  /** Unexpected failures are logged here (the client only gets a generic 500). */
  logger?: Pick<Logger, 'error'>;
}

/** A node:http handler that answers only its own paths; resolves `false` for any other path. */
export type AdminApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

type Params = Record<string, string>;
type Context = { req: IncomingMessage; params: Params; query: URLSearchParams };
type Result = { status?: number; body: unknown };
type Route = { method: string; pattern: string[]; run: (ctx: Context) => Promise<Result> };

const MATCHES: readonly RoleMapping['match'][] = ['displayName', 'externalId', 'id'];
const MAX_GRACE_SECONDS = 30 * 24 * 3600;

/**
 * Creates the admin JSON API (tenants, tokens, role settings and mappings, users, groups, audit log)
 * over the shared admin service, for node:http. Every call needs `Authorization: Bearer <admin token>`;
 * SCIM tokens are refused. Errors are `{ error, detail }` with 400/401/404/405/409/413/415/503.
 *
 * @example
 * const adminApi = createAdminApi({ store, adminToken: process.env.SCIM_ADMIN_TOKEN, scimBaseUrl: 'http://localhost:8080/scim/v2' });
 * http.createServer(async (req, res) => {
 *   if (await adminApi(req, res)) return;
 *   scimListener(req, res);
 * });
 */
export function createAdminApi(options: AdminApiOptions): AdminApiHandler {
  const basePath = options.basePath ?? '/admin/api';
  const defaultTenant = options.defaultTenant ?? 'default';
  const baseUrlOf =
    typeof options.scimBaseUrl === 'function' ? options.scimBaseUrl : () => options.scimBaseUrl as string;
  const service = options.service ?? createAdminService({ store: options.store, baseUrl: baseUrlOf });
  const authenticate = createAdminAuth(options.adminToken);

  const body = (ctx: Context) => readJsonBody(ctx.req);
  const tenant = (ctx: Context) => ctx.params.tenant as string;
  const mappingInput = (
    input: Record<string, unknown>,
    fallback?: { match: RoleMapping['match']; value: string },
  ): RoleMapping => ({
    match: oneOf(input, 'match', MATCHES, fallback?.match ?? 'displayName'),
    value:
      input.value === undefined && fallback
        ? fallback.value
        : requiredString(input, 'value', 'the group name, externalId or id'),
    role: requiredString(input, 'role', 'one of the tenant roles'),
  });
  const mappingKey = (ctx: Context) => {
    const match = ctx.params.match as RoleMapping['match'];
    if (!MATCHES.includes(match)) {
      throw new ApiError(
        404,
        'not_found',
        `Mappings are addressed as mappings/{displayName|externalId|id}/{value}, not '${match}'.`,
      );
    }
    return { match, value: ctx.params.value as string };
  };

  const routes: Route[] = [
    { method: 'GET', pattern: ['session'], run: async () => ({ body: { defaultTenant } }) },
    {
      method: 'GET',
      pattern: ['tenants'],
      run: async () => ({ body: { items: await service.listTenants() } }),
    },
    {
      method: 'POST',
      pattern: ['tenants'],
      run: async (ctx) => {
        const input = await body(ctx);
        const name = optionalString(input, 'name');
        return {
          status: 201,
          body: await service.createTenant({
            id: requiredString(input, 'id', 'lower-case letters, digits, _ or -'),
            ...(name ? { name } : {}),
          }),
        };
      },
    },
    {
      method: 'GET',
      pattern: ['tenants', ':tenant'],
      run: async (ctx) => ({ body: await service.getTenant(tenant(ctx)) }),
    },

    // ---- tokens
    {
      method: 'GET',
      pattern: ['tenants', ':tenant', 'tokens'],
      run: async (ctx) => ({ body: { items: await service.listTokens(tenant(ctx)) } }),
    },
    {
      method: 'POST',
      pattern: ['tenants', ':tenant', 'tokens'],
      run: async (ctx) => {
        const input = await body(ctx);
        if (input.secret !== undefined) {
          throw new ApiError(
            400,
            'invalid_body',
            "'secret' cannot be chosen here; the server generates the token.",
          );
        }
        const expiresAt = optionalTime(optionalString(input, 'expiresAt'), 'expiresAt');
        const name = requiredString(input, 'name', 'e.g. the identity provider it is for');
        return {
          status: 201,
          body: await service.issueToken(tenant(ctx), { name, ...(expiresAt ? { expiresAt } : {}) }),
        };
      },
    },
    {
      method: 'POST',
      pattern: ['tenants', ':tenant', 'tokens', ':id', 'rotate'],
      run: async (ctx) => {
        const input = await body(ctx);
        const graceSeconds = requiredInteger(input, 'graceSeconds', 0, MAX_GRACE_SECONDS);
        return {
          status: 201,
          body: await service.rotateToken(tenant(ctx), ctx.params.id as string, { graceSeconds }),
        };
      },
    },
    {
      method: 'POST',
      pattern: ['tenants', ':tenant', 'tokens', ':id', 'revoke'],
      run: async (ctx) => ({
        body: { token: await service.revokeToken(tenant(ctx), ctx.params.id as string) },
      }),
    },
    {
      method: 'DELETE',
      pattern: ['tenants', ':tenant', 'tokens', ':id'],
      run: async (ctx) => ({
        body: { token: await service.revokeToken(tenant(ctx), ctx.params.id as string) },
      }),
    },

    // ---- roles and mappings
    {
      method: 'GET',
      pattern: ['tenants', ':tenant', 'roles'],
      run: async (ctx) => ({ body: await service.getRoleSettings(tenant(ctx)) }),
    },
    {
      method: 'PUT',
      pattern: ['tenants', ':tenant', 'roles'],
      run: async (ctx) => {
        const input = await body(ctx);
        const roles = requiredStringArray(input, 'roles');
        const defaultRole = input.defaultRole;
        if (defaultRole !== null && (typeof defaultRole !== 'string' || defaultRole.trim() === '')) {
          throw new ApiError(
            400,
            'invalid_body',
            "'defaultRole' must be one of the roles, or null for none.",
          );
        }
        const deactivateUnmapped = optionalBoolean(input, 'deactivateUnmapped');
        const roleAttribute = input.roleAttribute === null ? null : optionalString(input, 'roleAttribute');
        return {
          body: await service.setRoles(tenant(ctx), {
            roles,
            defaultRole: defaultRole === null ? null : defaultRole.trim(),
            ...(deactivateUnmapped !== undefined ? { deactivateUnmapped } : {}),
            ...(roleAttribute !== undefined ? { roleAttribute } : {}),
          }),
        };
      },
    },
    {
      method: 'GET',
      pattern: ['tenants', ':tenant', 'mappings'],
      run: async (ctx) => ({ body: { items: (await service.getRoleSettings(tenant(ctx))).mappings } }),
    },
    {
      method: 'POST',
      pattern: ['tenants', ':tenant', 'mappings'],
      run: async (ctx) => ({
        status: 201,
        body: await addMapping(service, tenant(ctx), mappingInput(await body(ctx))),
      }),
    },
    {
      method: 'PUT',
      pattern: ['tenants', ':tenant', 'mappings', ':match', ':value'],
      run: async (ctx) => {
        const from = mappingKey(ctx);
        return { body: await updateMapping(service, tenant(ctx), from, mappingInput(await body(ctx), from)) };
      },
    },
    {
      method: 'DELETE',
      pattern: ['tenants', ':tenant', 'mappings', ':match', ':value'],
      run: async (ctx) => ({ body: await service.unmapGroup(tenant(ctx), mappingKey(ctx)) }),
    },

    // ---- users and groups
    {
      method: 'GET',
      pattern: ['tenants', ':tenant', 'users'],
      run: async (ctx) => {
        const q = ctx.query;
        const status = q.get('status') || undefined;
        if (status !== undefined && status !== 'active' && status !== 'inactive') {
          throw new ApiError(400, 'invalid_query', "'status' must be active or inactive.");
        }
        const filter = listFilter('User', q);
        const count = optionalPositiveInt(q.get('count'), 'count', 1000);
        const cursor = q.get('cursor') || undefined;
        const role = q.get('role') || undefined;
        return {
          body: await service.listUsers(tenant(ctx), {
            ...(filter ? { filter } : {}),
            ...(status ? { status } : {}),
            ...(role ? { role } : {}),
            ...(count ? { count } : {}),
            ...(cursor ? { cursor } : {}),
            includeDeprovisioned: q.get('includeDeprovisioned') === 'true',
          }),
        };
      },
    },
    {
      method: 'GET',
      pattern: ['tenants', ':tenant', 'users', ':ref'],
      run: async (ctx) => {
        // The service never returns a password, not even a hash (shared with the CLI).
        return { body: await service.getUser(tenant(ctx), ctx.params.ref as string) };
      },
    },
    {
      method: 'GET',
      pattern: ['tenants', ':tenant', 'groups'],
      run: async (ctx) => {
        const q = ctx.query;
        const filter = listFilter('Group', q);
        const count = optionalPositiveInt(q.get('count'), 'count', 1000);
        const cursor = q.get('cursor') || undefined;
        return {
          body: await service.listGroups(tenant(ctx), {
            ...(filter ? { filter } : {}),
            ...(count ? { count } : {}),
            ...(cursor ? { cursor } : {}),
          }),
        };
      },
    },
    {
      method: 'GET',
      pattern: ['tenants', ':tenant', 'groups', ':ref'],
      run: async (ctx) => ({ body: await service.getGroup(tenant(ctx), ctx.params.ref as string) }),
    },

    // ---- audit log
    {
      method: 'GET',
      pattern: ['tenants', ':tenant', 'audit'],
      run: async (ctx) => {
        const q = ctx.query;
        const types = q
          .getAll('type')
          .flatMap((t) => t.split(','))
          .map((t) => t.trim())
          .filter(Boolean);
        for (const type of types) {
          if (!/^[A-Za-z0-9_.-]+\*?$/.test(type)) {
            throw new ApiError(
              400,
              'invalid_query',
              `event type '${type}' must be a name like scim.user.deactivated or a prefix ending in * like scim.user.*`,
            );
          }
        }
        const limit = optionalPositiveInt(q.get('limit'), 'limit', 500) ?? 50;
        const before = optionalPositiveInt(q.get('before'), 'before', Number.MAX_SAFE_INTEGER);
        const since = optionalTime(q.get('since'), 'since');
        const until = optionalTime(q.get('until'), 'until');
        if (since && until && since >= until) {
          throw new ApiError(
            400,
            'invalid_query',
            `'since' (${since}) must be earlier than 'until' (${until}).`,
          );
        }
        const resourceId = q.get('resourceId') || undefined;
        // One more than asked tells whether an older page exists.
        const events = await service.queryJournal(tenant(ctx), {
          ...(types.length ? { types } : {}),
          ...(resourceId ? { resourceId } : {}),
          ...(since ? { since } : {}),
          ...(until ? { until } : {}),
          ...(before ? { beforePosition: before } : {}),
          order: 'descending',
          limit: limit + 1,
        });
        const items = events.slice(0, limit);
        const last = items.at(-1);
        return { body: { items, ...(events.length > limit && last ? { nextBefore: last.position } : {}) } };
      },
    },
  ];

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return false;
    try {
      const token = authenticate(req);
      // A SCIM credential must never open the admin API, even one created with the same value.
      if (await options.store.findCredentialByHash(hashSecret(token))) {
        throw new ApiError(
          503,
          'admin_token_reused',
          'SCIM_ADMIN_TOKEN is also a SCIM token of a tenant, so the admin API is refused. Revoke that SCIM token or choose a different admin token and restart.',
        );
      }
      let segments: string[];
      try {
        segments = url.pathname
          .slice(basePath.length)
          .split('/')
          .filter(Boolean)
          .map((s) => decodeURIComponent(s));
      } catch {
        throw new ApiError(400, 'invalid_path', 'The path contains a malformed %-escape.');
      }
      const candidates = routes
        .map((route) => ({ route, params: matchPattern(route.pattern, segments) }))
        .filter((c) => c.params);
      if (candidates.length === 0) {
        throw new ApiError(
          404,
          'not_found',
          `No admin API endpoint at ${url.pathname}. See the reference-server README for the endpoints.`,
        );
      }
      const chosen = candidates.find((c) => c.route.method === req.method);
      if (!chosen) {
        const allow = [...new Set(candidates.map((c) => c.route.method))].join(', ');
        throw new ApiError(405, 'method_not_allowed', `${req.method} is not supported here; use ${allow}.`, {
          allow,
        });
      }
      const result = await chosen.route.run({
        req,
        params: chosen.params as Params,
        query: url.searchParams,
      });
      sendJson(res, result.status ?? 200, result.body);
    } catch (error) {
      const mapped = toApiError(error);
      if (mapped) {
        sendJson(res, mapped.status, mapped.body, mapped.headers);
      } else {
        options.logger?.error({ err: error, url: req.url }, 'admin API request failed');
        sendJson(res, 500, {
          error: 'internal',
          detail: 'The server failed to answer; the cause is in its log.',
        });
      }
    }
    return true;
  };
}

function matchPattern(pattern: string[], segments: string[]): Params | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Params = {};
  for (const [i, part] of pattern.entries()) {
    const segment = segments[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

/** `filter` (a SCIM filter) wins over `q` (the search box). */
function listFilter(resourceType: 'User' | 'Group', query: URLSearchParams): string | undefined {
  const filter = query.get('filter');
  if (filter?.trim()) return filter;
  return searchFilter(resourceType, query.get('q') ?? '');
}
