/** Where the reference server keeps its data. */
export type StoreConfig =
  | {
      kind: 'sqlite';
      /** Absolute path of the SQLite file (its directory is created on start). */
      path: string;
    }
  | {
      kind: 'mongodb';
      uri: string;
      database: string;
    };

/** The validated configuration of the reference server. */
export interface ServerConfig {
  /** TCP port. */
  port: number;
  /** Interface to listen on. */
  host: string;
  /** Mount point of the SCIM API, starting with `/`, no trailing slash. */
  basePath: string;
  /**
   * Public origin clients use; the SCIM base URL is `publicUrl + basePath`. Absent: `http://localhost:<port>`
   * with the port actually listened on.
   */
  publicUrl?: string;
  store: StoreConfig;
  /** Redis for shared rate limits and the event stream; absent for a single process. */
  redisUrl?: string;
  /** Redis stream the journal is published to when `redisUrl` is set. */
  eventStream: string;
  /** Token of the default tenant on first start (else a random one is generated and printed). */
  bootstrapToken?: string;
  /** Credential of the admin API (separate from SCIM tokens). */
  adminToken?: string;
  /** Requests per credential per window, or `false` for no limit. */
  rateLimit: { limit: number; windowMs: number } | false;
  /** When Redis cannot be asked: admit (`open`) or reject (`closed`) requests. */
  rateLimitFail: 'open' | 'closed';
  /** DELETE /Users/{id}: soft (`deprovision`) or `hard`. */
  userDelete: 'deprovision' | 'hard';
  /** Link a POSTed user to an existing one with the same userName instead of answering 409. */
  jitLink: boolean;
  /** A User `password` sent by the IdP: not kept (`discard`) or kept as a salted scrypt hash (`hash`). */
  passwords: 'discard' | 'hash';
  logLevel: LogLevel;
  /** The id of the tenant created on first start. */
  defaultTenant: string;
  /** How long shutdown waits for in-flight requests and event delivery. */
  shutdownTimeoutMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
