import type { NewJournalEvent, SchemaRegistry, Store, StoreTransaction } from '@scim/core';
import type { Logger } from 'pino';
import type { Principal, ScimLimits, ScimPolicies } from '../types.js';
import type { PasswordHashes } from './passwords.js';

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
  /**
   * Set while a handler runs inside a shared transaction (a batch of /Bulk operations): its write
   * becomes a savepoint of that transaction instead of a transaction of its own.
   */
  batch?: WriteBatch;
  /**
   * Passwords of this request hashed before any transaction began (set by /Bulk for all of its
   * operations): writes look a plaintext up here instead of hashing it while holding the store.
   */
  passwordHashes?: PasswordHashes;
}

/** A store transaction shared by several writes, each of them a savepoint of it. */
export interface WriteBatch {
  tx: StoreTransaction;
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /** Journal events written in the batch; they count as committed once the batch commits. */
  pending: NewJournalEvent[];
}

/** A parsed request as handlers see it. */
export interface ProtocolRequest {
  method: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body, for methods that carry one. */
  body?: Record<string, unknown>;
  /**
   * The caller only needs status and headers (Location, ETag): a /Bulk operation, whose result
   * carries no resource. Handlers then skip rendering, projecting and serialising it.
   */
  omitBody?: boolean;
}
