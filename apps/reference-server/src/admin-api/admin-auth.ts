import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.ts';

/** How to turn the admin API on; shown when `SCIM_ADMIN_TOKEN` is not configured. */
export const ADMIN_DISABLED_DETAIL =
  'The admin API is disabled because no admin token is configured. Set SCIM_ADMIN_TOKEN (at least 16 characters, ' +
  'different from every SCIM token) in the environment, or "adminToken" in the config file, and restart the server.';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <admin token>` against the configured admin token. Both sides are
 * hashed first, so the comparison is constant-time whatever the lengths. Throws a 503 ApiError when
 * no admin token is configured and a 401 (with `WWW-Authenticate`) when the header is missing or wrong.
 *
 * @example
 * const check = createAdminAuth('a-long-admin-token-0123');
 * check(req); // throws unless the request carries that token
 */
export function createAdminAuth(adminToken: string | undefined): (req: IncomingMessage) => string {
  const expected = adminToken ? digest(adminToken) : undefined;
  return (req) => {
    if (!expected) throw new ApiError(503, 'admin_api_disabled', ADMIN_DISABLED_DETAIL);
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const challenge = { 'www-authenticate': 'Bearer realm="scim-admin"' };
    if (!match?.[1]) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the admin token as "Authorization: Bearer <SCIM_ADMIN_TOKEN>".',
        challenge,
      );
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      throw new ApiError(
        401,
        'unauthorized',
        'The admin token is not valid. Use the value of SCIM_ADMIN_TOKEN; SCIM tokens are not accepted here.',
        challenge,
      );
    }
    return match[1];
  };
}
