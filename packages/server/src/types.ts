import type { JournalEvent, NewJournalEvent, SchemaRegistry, Store } from '@scim/core';
import type { Logger } from 'pino';
import type { JwtAuthOptions } from './auth/jwt.js';
import type { EventSink } from './events/types.js';
import type { RateLimiter } from './rate-limit/types.js';

/** A request body as an adapter hands it over: already read, or a stream the server reads lazily. */
export type ScimRequestBody = string | Uint8Array | AsyncIterable<Uint8Array>;

/**
 * A transport-free HTTP request. Adapters build it; tests can build it by hand.
 *
 * The body may be a stream (`AsyncIterable<Uint8Array>`, e.g. a node `IncomingMessage` or a Fetch
 * `ReadableStream`): the server then reads it only after authentication, with the size limit and the
 * read timeout of `limits`.
 */
export interface ScimRequest {
  /** Upper- or lower-case HTTP method. */
  method: string;
  /** The path relative to the mount point, e.g. `/Users/123`. */
  path: string;
  query?: URLSearchParams | Record<string, string | undefined>;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body?: ScimRequestBody;
  remoteAddress?: string;
}

/** A transport-free HTTP response. Header names are lower case. */
export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** The protocol engine: one method, plus shutdown of its background work. */
export interface ScimServer {
  /** Answers one request. Never throws: every failure becomes a SCIM error response. */
  handle(request: ScimRequest): Promise<ScimResponse>;
  /** Stops background work (the event dispatcher, flushing what is pending). */
  close(): Promise<void>;
  /** Delivers pending journal events to the configured sinks now (resolves when they caught up). */
  drainEvents(): Promise<void>;
  /** The effective limits (adapters use them to refuse oversized bodies early). */
  readonly limits: Readonly<ScimLimits>;
}

/** Who is calling: the result of authentication. */
export interface Principal {
  tenantId: string;
  /** The credential id (bearer/basic) or `jwt:<subject>`; journal events carry it as `actor`. */
  credentialId: string;
  kind: 'bearer' | 'basic' | 'jwt';
}

/** How clients authenticate. */
export interface ScimAuthOptions {
  /** Bearer tokens stored (hashed) as credentials in the store. @default true */
  bearer?: boolean;
  /** HTTP Basic against `basic` credentials in the store (hash of `username:password`). @default false */
  basic?: boolean;
  /** OAuth 2.0 JWT bearer tokens validated against a JWKS. @default undefined (off) */
  jwt?: JwtAuthOptions;
}

/** Rate limiting per credential. */
export interface ScimRateLimitOptions {
  /** A shared limiter (for example `@scim/redis`); defaults to an in-memory one. */
  limiter?: RateLimiter;
  /** Requests per window. @default 600 */
  limit?: number;
  /** Window length in milliseconds. @default 60000 */
  windowMs?: number;
}

/** Behaviour that products choose. */
export interface ScimPolicies {
  /** What DELETE of a User does. `deprovision` keeps it (inactive, hidden from SCIM). @default 'deprovision' */
  userDelete?: 'deprovision' | 'hard';
  /**
   * A POST /Users with an `externalId` whose userName matches an existing user without an
   * externalId links to that user instead of answering 409. @default true
   */
  jitLink?: boolean;
  /**
   * What a successful PATCH answers when the request has no `attributes` parameter: the resource
   * (200) or 204 No Content, both allowed by RFC 7644 3.5.2. With `attributes` it is always 200.
   * @default 'resource'
   */
  patchResponse?: 'resource' | 'no-content';
  /**
   * The same choice for PATCH of a Group. A 200 answer carries every member, so with large groups a
   * one-member change costs as much as reading the whole group; `no-content` keeps it O(1).
   * @default the value of `patchResponse`
   */
  groupPatchResponse?: 'resource' | 'no-content';
  /** Reject attributes and schemas the registry does not know instead of dropping them. @default false */
  strictSchemas?: boolean;
  /** Remove a deprovisioned user from its groups. @default true */
  removeMembershipsOnDeprovision?: boolean;
  /**
   * What happens to a User `password` the IdP sends (on POST, PUT, PATCH and inside /Bulk). It is
   * never returned, journaled or logged either way.
   * - `discard`: not kept at all (products provisioned over SCIM authenticate through SSO); a
   *   change of only the password is no change, and the journal never lists `password`.
   * - `hash`: stored as a salted scrypt hash (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`), computed
   *   before the store transaction; check a login with `verifyPassword`. The journal lists
   *   `password` among the changed attributes (never a value).
   * A plaintext stored by an earlier version is dropped (or hashed) the next time the user is written.
   * @default 'discard'
   */
  passwords?: 'discard' | 'hash';
}

/** Size and time limits. */
export interface ScimLimits {
  /** @default 1048576 (1 MiB) */
  maxBodyBytes: number;
  /** @default 1000 */
  maxBulkOperations: number;
  /** @default 1048576 (1 MiB) */
  maxBulkPayloadBytes: number;
  /** @default 1000 */
  maxPageSize: number;
  /** @default 100 */
  defaultPageSize: number;
  /** Maximum time to receive a request body. @default 30000 */
  bodyTimeoutMs: number;
}

/** Event delivery after commit. */
export interface ScimEventOptions {
  /** Sinks fed from the journal by a dispatcher the server starts (and `close()` stops). */
  sinks?: EventSink[];
  /** Called after commit with each journal event a request wrote (in-process; errors are logged). */
  onEvent?: (event: JournalEvent) => void | Promise<void>;
  /**
   * Called synchronously once a request's transaction committed, with the events it journalled.
   * Unlike `onEvent` it reads nothing back from the journal and starts no dispatcher: use it to wake
   * a dispatcher of your own. Errors it throws are logged and ignored.
   */
  onCommit?: (events: readonly NewJournalEvent[]) => void;
  /** Dispatcher poll interval. @default 1000 */
  pollIntervalMs?: number;
}

/** What `me` receives to resolve `/Me`. */
export interface MeContext {
  principal: Principal;
  request: ScimRequest;
}

/** Options of `createScimServer`. */
export interface ScimServerOptions {
  store: Store;
  /** @default defaultSchemaRegistry */
  registry?: SchemaRegistry;
  /** The absolute public URL of the mount point, used in Location, meta.location and $ref. */
  baseUrl: string;
  /** @default { bearer: true } */
  auth?: ScimAuthOptions;
  /** `false` turns rate limiting off. @default { limit: 600, windowMs: 60000 } */
  rateLimit?: ScimRateLimitOptions | false;
  events?: ScimEventOptions;
  policies?: ScimPolicies;
  limits?: Partial<ScimLimits>;
  /** @default a pino logger at level `warn` on stderr */
  logger?: Logger;
  /** @default () => new Date() */
  now?: () => Date;
  /**
   * Ids of new resources, journal events and requests.
   * @default a version 7 UUID (time-ordered: index-friendly inserts; see `timeOrderedId`)
   */
  generateId?: () => string;
  /** Resolves the user id behind `/Me`; without it `/Me` answers 501. */
  me?: (context: MeContext) => Promise<string | undefined>;
}
