import { defaultSchemaRegistry, ScimError } from '@scim/core';
import type { Logger } from 'pino';
import { createAuthenticator } from './auth/authenticate.js';
import { callbackSink } from './events/callback-sink.js';
import { createEventDispatcher } from './events/dispatcher.js';
import type { EventSink } from './events/types.js';
import { assertJsonContentType } from './http/content-type.js';
import { errorToResponse } from './http/error-response.js';
import { parseJsonObject } from './http/parse-json.js';
import { readBody } from './http/read-body.js';
import { responseContentType } from './http/responses.js';
import { timeOrderedId } from './ids/time-ordered-id.js';
import { createDefaultLogger, redactingLogger, requestLogger } from './logging/logger.js';
import { runBulk } from './protocol/bulk.js';
import type { ProtocolRequest, RequestContext, ResolvedPolicies } from './protocol/context.js';
import { resourceTypes, schemas, serviceProviderConfig } from './protocol/discovery.js';
import { listResources, searchAll } from './protocol/list.js';
import { passwordPolicy } from './protocol/passwords.js';
import {
  createResource,
  deleteResource,
  getResource,
  patchResource,
  replaceResource,
} from './protocol/resources.js';
import { createMemoryRateLimiter } from './rate-limit/memory-rate-limiter.js';
import { type Route, route as matchRoute } from './router.js';
import type {
  Principal,
  ScimLimits,
  ScimRequest,
  ScimResponse,
  ScimServer,
  ScimServerOptions,
} from './types.js';

/** The limits used when `options.limits` leaves them out. */
export const DEFAULT_LIMITS: Readonly<ScimLimits> = {
  maxBodyBytes: 1024 * 1024,
  maxBulkOperations: 1000,
  maxBulkPayloadBytes: 1024 * 1024,
  maxPageSize: 1000,
  defaultPageSize: 100,
  bodyTimeoutMs: 30_000,
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function toSearchParams(query: ScimRequest['query']): URLSearchParams {
  if (query === undefined) return new URLSearchParams();
  if (query instanceof URLSearchParams) return query;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, value);
  return params;
}

/**
 * Creates the SCIM 2.0 protocol engine over a store: a transport-free `handle(request)` that
 * authenticates, rate-limits, routes, reads and validates the body, runs the store transaction
 * (with role resolution and journal events) and answers in `application/scim+json`. Mount it with
 * `toNodeListener`, `toFetchHandler`, `expressMiddleware` or `fastifyPlugin`.
 *
 * @example
 * import { createServer } from 'node:http';
 * import { createMemoryStore } from '@scim/core/memory';
 * import { createScimServer, issueToken, toNodeListener } from '@scim/server';
 *
 * const store = createMemoryStore();
 * await store.createTenant({ id: 'acme', name: 'Acme', createdAt: new Date().toISOString() });
 * const { secret } = await issueToken(store, { tenantId: 'acme', name: 'Okta' });
 * const scim = createScimServer({ store, baseUrl: 'http://localhost:3000/scim/v2' });
 * createServer(toNodeListener(scim, { basePath: '/scim/v2' })).listen(3000);
 */
export function createScimServer(options: ScimServerOptions): ScimServer {
  const { store } = options;
  const registry = options.registry ?? defaultSchemaRegistry;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const limits: ScimLimits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  const policies: ResolvedPolicies = {
    userDelete: options.policies?.userDelete ?? 'deprovision',
    jitLink: options.policies?.jitLink ?? true,
    patchResponse: options.policies?.patchResponse ?? 'resource',
    groupPatchResponse: options.policies?.groupPatchResponse ?? options.policies?.patchResponse ?? 'resource',
    strictSchemas: options.policies?.strictSchemas ?? false,
    removeMembershipsOnDeprovision: options.policies?.removeMembershipsOnDeprovision ?? true,
    passwords: passwordPolicy(options.policies?.passwords),
  };
  const logger = redactingLogger(options.logger ?? createDefaultLogger());
  const now = options.now ?? (() => new Date());
  const generateId = options.generateId ?? (() => timeOrderedId());
  const auth = options.auth ?? {};
  const authenticate = createAuthenticator(store, auth, now);
  const limiter =
    options.rateLimit === false
      ? undefined
      : (options.rateLimit?.limiter ??
        createMemoryRateLimiter({
          limit: options.rateLimit?.limit ?? 600,
          windowMs: options.rateLimit?.windowMs ?? 60_000,
        }));

  const sinks: EventSink[] = [...(options.events?.sinks ?? [])];
  const onEvent = options.events?.onEvent;
  const onCommit = options.events?.onCommit;
  if (onEvent) {
    sinks.push(
      callbackSink('scim-server:onEvent', async (events) => {
        for (const event of events) await onEvent(event);
      }),
    );
  }
  const dispatcher =
    sinks.length > 0
      ? createEventDispatcher({
          store,
          sinks,
          logger,
          pollIntervalMs: options.events?.pollIntervalMs ?? 1000,
        })
      : undefined;
  dispatcher?.start();

  // Not async: they hand back the handler's promise as it is (an async wrapper would add a promise
  // and microtask turns per request); a synchronous throw reaches the caller's try/catch just the same.
  const dispatchResource = (
    ctx: RequestContext,
    target: Route,
    req: ProtocolRequest,
  ): Promise<ScimResponse> => {
    const method = req.method;
    switch (target.kind) {
      case 'collection':
        return method === 'GET'
          ? listResources(ctx, target.resourceType, req, false)
          : createResource(ctx, target.resourceType, req);
      case 'search':
        return listResources(ctx, target.resourceType, req, true);
      case 'resource':
        if (method === 'GET') return getResource(ctx, target.resourceType, target.id, req);
        if (method === 'PUT') return replaceResource(ctx, target.resourceType, target.id, req);
        if (method === 'PATCH') return patchResource(ctx, target.resourceType, target.id, req);
        return deleteResource(ctx, target.resourceType, target.id, req);
      default:
        throw new ScimError(
          400,
          'invalidPath',
          'A bulk operation must address /{ResourceType} or /{ResourceType}/{id}',
        );
    }
  };

  const dispatch = (
    ctx: RequestContext,
    target: Route,
    req: ProtocolRequest,
    raw: ScimRequest,
  ): Promise<ScimResponse> => {
    if (
      (target.kind === 'serviceProviderConfig' ||
        target.kind === 'resourceTypes' ||
        target.kind === 'schemas') &&
      [...req.query.keys()].some((key) => key.toLowerCase() === 'filter')
    ) {
      // RFC 7644 4: a client must not believe a filter was applied to these documents.
      throw new ScimError(
        403,
        undefined,
        'The discovery endpoints do not support filter; request them without it',
      );
    }
    switch (target.kind) {
      case 'serviceProviderConfig':
        return Promise.resolve(serviceProviderConfig(ctx, auth));
      case 'resourceTypes':
        return Promise.resolve(resourceTypes(ctx, target.id));
      case 'schemas':
        return Promise.resolve(schemas(ctx, target.id));
      case 'rootSearch':
        return searchAll(ctx, req);
      case 'bulk':
        return runBulk(ctx, req.body ?? {}, async (method, path, request, opCtx) => {
          const opRoute = matchRoute(method, path, registry);
          return dispatchResource(opCtx, opRoute, request);
        });
      case 'me':
        return dispatchMe(ctx, target, req, raw);
      default:
        return dispatchResource(ctx, target, req);
    }
  };

  /** /Me: the user the host's `me` callback names for the credentials (RFC 7644 3.11). */
  const dispatchMe = async (
    ctx: RequestContext,
    target: Extract<Route, { kind: 'me' }>,
    req: ProtocolRequest,
    raw: ScimRequest,
  ): Promise<ScimResponse> => {
    if (options.me === undefined) {
      throw new ScimError(501, undefined, '/Me is not supported by this service provider');
    }
    if (target.rest !== '' || req.method === 'POST') {
      throw new ScimError(
        501,
        undefined,
        `${req.method} /Me${target.rest ? `/${target.rest}` : ''} is not supported`,
      );
    }
    const userId = await options.me({ principal: ctx.principal, request: raw });
    if (userId === undefined)
      throw new ScimError(404, undefined, 'No User is associated with these credentials');
    return dispatchResource(ctx, { kind: 'resource', resourceType: 'User', id: userId }, req);
  };

  const handle = async (request: ScimRequest): Promise<ScimResponse> => {
    const started = performance.now();
    const incomingId = request.headers['x-request-id'];
    const requestId = incomingId !== undefined && REQUEST_ID.test(incomingId) ? incomingId : generateId();
    // The request's child logger is built on first use: most requests log nothing at the default
    // level, and a child costs an allocation and a serialisation of its bindings.
    let requestLog: Logger | undefined;
    const log = (): Logger => {
      requestLog ??= requestLogger(logger, requestId);
      return requestLog;
    };
    const method = request.method.toUpperCase();
    let principal: Principal | undefined;
    const committed: RequestContext['committed'] = [];
    let response: ScimResponse;
    try {
      principal = await authenticate(request.headers.authorization);
      if (limiter) {
        const key = `${principal.tenantId}:${principal.credentialId}`;
        let result: Awaited<ReturnType<typeof limiter.consume>> | undefined;
        try {
          result = await limiter.consume(key);
        } catch (error) {
          log().warn({ err: error }, 'rate limiter failed; request allowed');
        }
        if (result && !result.allowed) {
          const seconds = Math.max(1, Math.ceil(result.resetAfterMs / 1000));
          throw new ScimError(
            429,
            undefined,
            `Too many requests: at most ${result.limit} per window; retry after ${seconds} s`,
            {
              headers: { 'retry-after': String(seconds) },
            },
          );
        }
      }
      const target = matchRoute(method, request.path, registry);
      const protocolRequest: ProtocolRequest = {
        method,
        query: toSearchParams(request.query),
        headers: request.headers,
      };
      if (BODY_METHODS.has(method)) {
        assertJsonContentType(request.headers['content-type']);
        const maxBytes = target.kind === 'bulk' ? limits.maxBulkPayloadBytes : limits.maxBodyBytes;
        const bytes = await readBody(request.body, {
          maxBytes,
          timeoutMs: limits.bodyTimeoutMs,
          ...(request.headers['content-length'] !== undefined
            ? { contentLength: request.headers['content-length'] }
            : {}),
        });
        protocolRequest.body = parseJsonObject(bytes);
      }
      const ctx: RequestContext = {
        store,
        registry,
        baseUrl,
        principal,
        tenantId: principal.tenantId,
        requestId,
        policies,
        limits,
        get logger() {
          return log();
        },
        now,
        generateId,
        committed,
      };
      response = await dispatch(ctx, target, protocolRequest, request);
    } catch (error) {
      response = errorToResponse(error, log());
    }
    response.headers['x-request-id'] = requestId;
    if (response.body !== undefined)
      response.headers['content-type'] = responseContentType(request.headers.accept);
    if (logger.isLevelEnabled('info')) {
      log().info(
        {
          method,
          path: request.path,
          status: response.status,
          tenantId: principal?.tenantId,
          actor: principal?.credentialId,
          events: committed.length,
          durationMs: Math.round(performance.now() - started),
        },
        'scim request',
      );
    }
    if (committed.length > 0) {
      dispatcher?.nudge();
      if (onCommit) {
        try {
          onCommit(committed);
        } catch (error) {
          log().warn({ err: error }, 'events.onCommit failed');
        }
      }
    }
    return response;
  };

  return {
    handle,
    limits,
    async close() {
      await dispatcher?.stop();
    },
    async drainEvents() {
      await dispatcher?.drain();
    },
  };
}
