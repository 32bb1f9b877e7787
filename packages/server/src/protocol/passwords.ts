import type { PatchDelta } from '@scim/core';
import { passwordsInBulk, passwordsInPatch, passwordsInResource } from '../passwords/find-passwords.js';
import { hashPassword, hashPasswordSync, isPasswordHash } from '../passwords/hash-password.js';
import type { RequestContext } from './context.js';

/** Plaintext password -> its scrypt hash, computed before a write's transaction began. */
export type PasswordHashes = ReadonlyMap<string, string>;

const NONE: PasswordHashes = new Map();

/**
 * Hashes at most this many passwords at once: each takes a libuv thread for tens of milliseconds,
 * and a /Bulk request full of passwords must not occupy the whole pool (file and DNS work share it).
 */
const CONCURRENCY = 2;

async function hashAll(plaintexts: readonly string[], known: PasswordHashes): Promise<PasswordHashes> {
  const missing = plaintexts.filter((plain) => !known.has(plain));
  if (missing.length === 0) return known;
  const hashes = new Map(known);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < missing.length) {
      const plain = missing[next]!;
      next += 1;
      hashes.set(plain, await hashPassword(plain));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, missing.length) }, worker));
  return hashes;
}

/**
 * The pre-pass of a POST/PUT (`kind: 'resource'`) or PATCH (`kind: 'patch'`) of a User under
 * `policies.passwords: 'hash'`: finds the plaintext passwords in the body and hashes them now,
 * outside the store transaction, whose write lock must not be held for a slow hash.
 */
export async function prehashPasswords(
  ctx: RequestContext,
  type: string,
  kind: 'resource' | 'patch',
  body: unknown,
): Promise<PasswordHashes> {
  const known = ctx.passwordHashes ?? NONE;
  if (ctx.policies.passwords !== 'hash' || type !== 'User') return known;
  // Inside a /Bulk batch the shared transaction is already open: hashing here would hold its lock.
  // The bulk pre-pass hashed the batch's passwords; one it missed falls back inside the write.
  if (ctx.batch !== undefined) return known;
  return hashAll(kind === 'patch' ? passwordsInPatch(body) : passwordsInResource(body), known);
}

/** The pre-pass of a /Bulk request: every User password of every operation, before any batch. */
export async function prehashBulkPasswords(ctx: RequestContext, body: unknown): Promise<PasswordHashes> {
  const known = ctx.passwordHashes ?? NONE;
  if (ctx.policies.passwords !== 'hash') return known;
  const isUserEndpoint = (segment: string): boolean =>
    ctx.registry.getResourceTypeByEndpoint(`/${segment}`)?.name === 'User';
  return hashAll(passwordsInBulk(body, isUserEndpoint), known);
}

/**
 * The data of a User as it may be stored, called inside the write after validation (and PATCH):
 * with `discard` without any password; with `hash` with the precomputed hash in place of the
 * plaintext. A value equal to the stored hash (a PUT that round-trips the stored data) stays. A
 * plaintext the pre-pass missed is hashed here, synchronously, rather than ever stored as sent.
 */
export function storablePassword(
  ctx: RequestContext,
  type: string,
  data: Record<string, unknown>,
  hashes: PasswordHashes,
  stored?: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  if (type !== 'User' || !Object.hasOwn(data, 'password')) return data;
  const { password, ...rest } = data;
  if (ctx.policies.passwords !== 'hash' || typeof password !== 'string') return rest;
  if (password === stored?.password && isPasswordHash(password)) return data;
  const hash = hashes.get(password);
  if (hash !== undefined) return { ...rest, password: hash };
  // Never the value: only that the pre-pass has a gap (or that a legacy plaintext is being hashed).
  ctx.logger.warn(
    { resourceType: type, legacy: password === stored?.password },
    'password hashed inside the write transaction (the pre-pass did not hash it)',
  );
  return { ...rest, password: hashPasswordSync(password) };
}

/**
 * With `discard`, a PATCH that sets a User's password changes nothing that is stored: the delta
 * must not report `password`, so the journal lists no such change and a PATCH of only the password
 * writes nothing.
 */
export function withoutDiscardedPassword(ctx: RequestContext, type: string, delta: PatchDelta): PatchDelta {
  if (ctx.policies.passwords === 'hash' || type !== 'User') return delta;
  if (!delta.changedAttributes.includes('password')) return delta;
  return { ...delta, changedAttributes: delta.changedAttributes.filter((path) => path !== 'password') };
}

/** `policies.passwords` with its default; a value from untyped configuration that is neither is a TypeError. */
export function passwordPolicy(value: unknown): 'discard' | 'hash' {
  if (value === undefined) return 'discard';
  if (value === 'discard' || value === 'hash') return value;
  throw new TypeError(`policies.passwords must be "discard" or "hash", got ${JSON.stringify(value)}`);
}
