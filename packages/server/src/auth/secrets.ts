import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

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

/** Compares two hex hashes in constant time (for equal lengths). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.byteLength !== right.byteLength) return false;
  return timingSafeEqual(left, right);
}
