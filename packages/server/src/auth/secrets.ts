import { hash, randomBytes } from 'node:crypto';

/**
 * The hex SHA-256 of a secret: what the store keeps instead of the secret.
 *
 * @example
 * hashSecret('scim_abc') // '5f3c...'
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** A new random secret: `scim_` and 43 base64url characters (256 bits). */
export function generateSecret(): string {
  return `scim_${randomBytes(32).toString('base64url')}`;
}

/**
 * Compares two hashes in time that depends only on their length, not on where they differ. Runs on
 * every authenticated request, so it compares the strings' code units directly instead of copying
 * both into Buffers for `crypto.timingSafeEqual`.
 */
export function hashesEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
