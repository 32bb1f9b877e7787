import { randomUUID } from 'node:crypto';
import type { Credential, Store } from '@scim/core';
import { StoreError } from '@scim/core';
import { generateSecret, hashSecret } from './secrets.js';

/** Options of `issueToken`. */
export interface IssueTokenOptions {
  tenantId: string;
  /** A label for admin screens ("Okta production"). */
  name: string;
  /** @default new Date() */
  now?: Date;
  /** ISO 8601 expiry; none by default. */
  expiresAt?: string;
  /** Use this secret instead of a random one (for bootstrapping from configuration). */
  secret?: string;
}

/** A newly issued credential and its secret (shown once, never stored). */
export interface IssuedToken {
  credential: Credential;
  secret: string;
}

/**
 * Issues a bearer token for a tenant. Only its hash is stored; the secret is returned once.
 *
 * @example
 * const { secret } = await issueToken(store, { tenantId: 'acme', name: 'Okta' });
 */
export async function issueToken(store: Store, options: IssueTokenOptions): Promise<IssuedToken> {
  const secret = options.secret ?? generateSecret();
  const credential: Credential = {
    id: randomUUID(),
    tenantId: options.tenantId,
    name: options.name,
    kind: 'bearer',
    hash: hashSecret(secret),
    createdAt: (options.now ?? new Date()).toISOString(),
  };
  if (options.expiresAt !== undefined) credential.expiresAt = options.expiresAt;
  await store.createCredential(credential);
  return { credential, secret };
}

/** Options of `issueBasicCredential`. */
export interface IssueBasicCredentialOptions {
  tenantId: string;
  name: string;
  username: string;
  /** @default a random secret */
  password?: string;
  now?: Date;
  expiresAt?: string;
}

/**
 * Issues an HTTP Basic credential (Okta offers Basic auth). The store keeps the hash of
 * `username:password`.
 */
export async function issueBasicCredential(
  store: Store,
  options: IssueBasicCredentialOptions,
): Promise<{ credential: Credential; username: string; password: string }> {
  const password = options.password ?? generateSecret();
  const credential: Credential = {
    id: randomUUID(),
    tenantId: options.tenantId,
    name: options.name,
    kind: 'basic',
    hash: hashSecret(`${options.username}:${password}`),
    createdAt: (options.now ?? new Date()).toISOString(),
  };
  if (options.expiresAt !== undefined) credential.expiresAt = options.expiresAt;
  await store.createCredential(credential);
  return { credential, username: options.username, password };
}

/** Options of `rotateToken`. */
export interface RotateTokenOptions {
  tenantId: string;
  credentialId: string;
  /** How long the old token keeps working. */
  graceSeconds: number;
  now?: Date;
  /** Name of the new token. @default the old one's */
  name?: string;
}

/**
 * Rotation without downtime: issues a new token and makes the old one expire after a grace period,
 * so both work while the IdP is reconfigured.
 */
export async function rotateToken(store: Store, options: RotateTokenOptions): Promise<IssuedToken> {
  const now = options.now ?? new Date();
  const existing = (await store.listCredentials(options.tenantId)).find((c) => c.id === options.credentialId);
  if (existing === undefined) {
    throw new StoreError('not_found', {
      detail: `No credential ${options.credentialId} in tenant ${options.tenantId}`,
    });
  }
  const issued = await issueToken(store, {
    tenantId: options.tenantId,
    name: options.name ?? existing.name,
    now,
  });
  const graceEnd = new Date(now.getTime() + options.graceSeconds * 1000).toISOString();
  const expiresAt =
    existing.expiresAt !== undefined && existing.expiresAt < graceEnd ? existing.expiresAt : graceEnd;
  await store.updateCredential(options.tenantId, options.credentialId, { expiresAt });
  return issued;
}

/** Revokes a credential at once. */
export async function revokeToken(
  store: Store,
  tenantId: string,
  credentialId: string,
  now = new Date(),
): Promise<void> {
  await store.updateCredential(tenantId, credentialId, { revokedAt: now.toISOString() });
}
