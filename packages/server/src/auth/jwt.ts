import { ScimError } from '@scim/core';
import {
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
} from 'jose';

/** OAuth 2.0 JWT bearer tokens (Entra ID offers them), validated against a JWKS. */
export interface JwtAuthOptions {
  /** A JSON Web Key Set held in memory. One of `jwks` / `jwksUrl` is required. */
  jwks?: JSONWebKeySet;
  /** Where to fetch the JWKS from (cached by `jose`). */
  jwksUrl?: string;
  /** Expected `iss`. */
  issuer: string | string[];
  /** Expected `aud`. */
  audience: string | string[];
  /** The claim naming the tenant. @default 'tid' */
  tenantClaim?: string;
  /** Maps the claims to a tenant id instead of `tenantClaim` (e.g. an Entra tenant id to a product tenant). */
  resolveTenant?: (claims: JWTPayload) => string | undefined | Promise<string | undefined>;
  /** Accepted algorithms. @default ['RS256', 'ES256', 'PS256', 'EdDSA'] */
  algorithms?: string[];
  /** Allowed clock skew in seconds. @default 60 */
  clockToleranceSeconds?: number;
}

/** The result of a verified JWT. */
export interface JwtIdentity {
  tenantId: string;
  subject: string;
}

/** Creates a verifier; throws 401-style ScimErrors that never reveal why beyond "invalid token". */
export function createJwtVerifier(
  options: JwtAuthOptions,
  now?: () => Date,
): (token: string) => Promise<JwtIdentity> {
  let keys: JWTVerifyGetKey;
  if (options.jwks !== undefined) keys = createLocalJWKSet(options.jwks);
  else if (options.jwksUrl !== undefined) keys = createRemoteJWKSet(new URL(options.jwksUrl));
  else throw new Error('auth.jwt needs jwks or jwksUrl');
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: options.algorithms ?? ['RS256', 'ES256', 'PS256', 'EdDSA'],
        clockTolerance: options.clockToleranceSeconds ?? 60,
        ...(now === undefined ? {} : { currentDate: now() }),
      }));
    } catch {
      throw new ScimError(401, undefined, 'The bearer token is invalid or expired');
    }
    const claim = options.tenantClaim ?? 'tid';
    const tenantId = options.resolveTenant ? await options.resolveTenant(payload) : payload[claim];
    if (typeof tenantId !== 'string' || tenantId === '') {
      throw new ScimError(401, undefined, 'The bearer token names no tenant');
    }
    const subject =
      typeof payload.sub === 'string'
        ? payload.sub
        : typeof payload.azp === 'string'
          ? payload.azp
          : 'unknown';
    return { tenantId, subject };
  };
}
