import type { NewJournalEvent, SchemaRegistry, Store } from '@scim/core';
import type { Logger } from 'pino';
import type { Principal, ScimLimits, ScimPolicies } from '../types.js';

/** Policies with their defaults applied. */
export type ResolvedPolicies = Required<ScimPolicies>;

/** Everything a protocol handler needs for one request. */
export interface RequestContext {
  store: Store;
  registry: SchemaRegistry;
  baseUrl: string;
  principal: Principal;
  tenantId: string;
  requestId: string;
  policies: ResolvedPolicies;
  limits: ScimLimits;
  logger: Logger;
  now: () => Date;
  generateId: () => string;
  /** Journal events committed by this request (for logging and nudging the dispatcher). */
  committed: NewJournalEvent[];
}

/** A parsed request as handlers see it. */
export interface ProtocolRequest {
  method: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body, for methods that carry one. */
  body?: Record<string, unknown>;
}
