import type { Credential, Store } from '@scim/core';
import { ScimError } from '@scim/core';
import type { Principal, ScimAuthOptions } from '../types.js';
import { createJwtVerifier } from './jwt.js';
import { hashSecret, hashesEqual } from './secrets.js';

/** Authenticates a request's Authorization header. */
export type Authenticator = (authorization: string | undefined) => Promise<Principal>;

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Builds the authenticator of a server: bearer tokens looked up by hash (compared in constant
 * time), optional Basic, optional JWT against a JWKS. Failures are 401 with a `WWW-Authenticate`
 * challenge; the detail never says whether a token exists.
 */
export function createAuthenticator(store: Store, options: ScimAuthOptions, now: () => Date): Authenticator {
  const bearer = options.bearer ?? true;
  const basic = options.basic ?? false;
  const verifyJwt = options.jwt ? createJwtVerifier(options.jwt, now) : undefined;
  const challenges: string[] = [];
  if (bearer || verifyJwt) challenges.push('Bearer realm="SCIM"');
  if (basic) challenges.push('Basic realm="SCIM"');
  const challenge = challenges.join(', ') || 'Bearer realm="SCIM"';
  const lastTouched = new Map<string, number>();

  const unauthorized = (detail: string, error?: string): ScimError =>
    new ScimError(401, undefined, detail, {
      headers: {
        'www-authenticate': error
          ? `${challenge.replace('Bearer realm="SCIM"', `Bearer realm="SCIM", error="${error}"`)}`
          : challenge,
      },
    });

  const checkCredential = async (hash: string, kind: Credential['kind']): Promise<Principal> => {
    const credential = await store.findCredentialByHash(hash);
    // The store found it by hash; compare again in constant time so a lookup that matched loosely
    // (a prefix index, a case-folded collation) can never let a different secret in.
    if (credential === undefined || credential.kind !== kind || !hashesEqual(credential.hash, hash)) {
      throw unauthorized('The credentials are not valid', kind === 'bearer' ? 'invalid_token' : undefined);
    }
    const current = now();
    if (credential.revokedAt !== undefined && credential.revokedAt <= current.toISOString()) {
      throw unauthorized('The credentials were revoked', kind === 'bearer' ? 'invalid_token' : undefined);
    }
    if (credential.expiresAt !== undefined && credential.expiresAt <= current.toISOString()) {
      throw unauthorized('The credentials have expired', kind === 'bearer' ? 'invalid_token' : undefined);
    }
    const touched = lastTouched.get(credential.id) ?? 0;
    if (current.getTime() - touched > LAST_USED_RESOLUTION_MS) {
      lastTouched.set(credential.id, current.getTime());
      // Bookkeeping only: a failure here must not fail the request.
      store
        .updateCredential(credential.tenantId, credential.id, { lastUsedAt: current.toISOString() })
        .catch(() => undefined);
    }
    return { tenantId: credential.tenantId, credentialId: credential.id, kind };
  };

  return async (authorization) => {
    if (authorization === undefined || authorization.trim() === '') {
      throw unauthorized('Authentication required: send an Authorization header');
    }
    const space = authorization.indexOf(' ');
    const scheme = (space === -1 ? authorization : authorization.slice(0, space)).toLowerCase();
    const value = space === -1 ? '' : authorization.slice(space + 1).trim();
    if (value === '') throw unauthorized('The Authorization header carries no credentials');
    if (scheme === 'bearer') {
      if (verifyJwt && value.split('.').length === 3) {
        const identity = await verifyJwt(value).catch((error: unknown) => {
          throw unauthorized((error as Error).message, 'invalid_token');
        });
        const tenant = await store.getTenant(identity.tenantId);
        if (tenant === undefined)
          throw unauthorized('The bearer token names an unknown tenant', 'invalid_token');
        return { tenantId: identity.tenantId, credentialId: `jwt:${identity.subject}`, kind: 'jwt' };
      }
      if (!bearer) throw unauthorized('The credentials are not valid', 'invalid_token');
      return checkCredential(hashSecret(value), 'bearer');
    }
    if (scheme === 'basic' && basic) {
      let decoded: string;
      try {
        decoded = Buffer.from(value, 'base64').toString('utf8');
      } catch {
        throw unauthorized('The Basic credentials are not valid base64');
      }
      if (!decoded.includes(':')) throw unauthorized('The Basic credentials must be username:password');
      return checkCredential(hashSecret(decoded), 'basic');
    }
    throw unauthorized(`The authentication scheme "${scheme}" is not supported`);
  };
}
