import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/** log2 of the scrypt cost N used for new hashes (N = 32768: about 32 MiB and tens of ms per hash). */
const LOG_N = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Bounds on the parameters a stored hash may ask for: a corrupted or planted value must not make a
// verification allocate gigabytes or run for minutes.
const MAX_LOG_N = 20;
const MAX_BLOCK_SIZE = 32;
const MAX_PARALLELISM = 16;

const FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

interface ScryptHash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): ScryptHash | undefined {
  const match = FORMAT.exec(stored);
  if (match === null) return undefined;
  const logN = Number(match[1]);
  const r = Number(match[2]);
  const p = Number(match[3]);
  if (logN < 1 || logN > MAX_LOG_N || r < 1 || r > MAX_BLOCK_SIZE || p < 1 || p > MAX_PARALLELISM) {
    return undefined;
  }
  const salt = Buffer.from(match[4]!, 'base64');
  const key = Buffer.from(match[5]!, 'base64');
  // scrypt's shorter outputs are prefixes of its longer ones: a truncated hash must not verify.
  if (salt.byteLength < SALT_BYTES || key.byteLength !== KEY_BYTES) return undefined;
  return { logN, r, p, salt, key };
}

function scryptOptions(logN: number, r: number, p: number) {
  const N = 2 ** logN;
  // node refuses when 128 * N * r exceeds maxmem (32 MiB by default, exactly what ln=15,r=8 needs).
  return { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 };
}

function format(salt: Buffer, key: Buffer): string {
  return `$scrypt$ln=${LOG_N},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function derive(plain: string, salt: Buffer, keyLength: number, logN: number, r: number, p: number) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(plain.normalize('NFC'), salt, keyLength, scryptOptions(logN, r, p), (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a password with scrypt and a random 16-byte salt, in a self-describing format:
 * `$scrypt$ln=15,r=8,p=1$<salt, base64>$<hash, base64>`. It runs on libuv's thread pool and takes
 * tens of milliseconds by design; verify with `verifyPassword`. The text is NFC-normalised first,
 * so the same password typed on different systems verifies.
 *
 * @example
 * import { hashPassword, verifyPassword } from '@scim/server';
 *
 * const stored = await hashPassword('correct horse battery staple');
 * // '$scrypt$ln=15,r=8,p=1$0q3N…$Yk2f…'
 * await verifyPassword(stored, 'correct horse battery staple'); // true
 */
export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(plain, salt, KEY_BYTES, LOG_N, BLOCK_SIZE, PARALLELISM);
  return format(salt, key);
}

/**
 * `hashPassword` on the calling thread. It blocks the event loop for as long as a hash takes, so
 * the server only uses it as a last resort (a plaintext found inside a write that the pre-pass did
 * not hash), never on the normal path.
 */
export function hashPasswordSync(plain: string): string {
  const salt = randomBytes(SALT_BYTES);
  const key = scryptSync(
    plain.normalize('NFC'),
    salt,
    KEY_BYTES,
    scryptOptions(LOG_N, BLOCK_SIZE, PARALLELISM),
  );
  return format(salt, key);
}

/**
 * Checks a password against a hash made by `hashPassword` (or by the server with
 * `policies.passwords: 'hash'`), comparing in constant time. The cost parameters are read from the
 * stored hash, so hashes made with other parameters keep verifying. Anything that is not such a
 * hash (an empty value, a legacy plaintext, a truncated string) never verifies: the answer is
 * `false`, not an exception.
 *
 * @example
 * import { verifyPassword } from '@scim/server';
 *
 * const user = await store.getResource(tenantId, 'User', id);
 * const stored = user?.data.password;
 * const ok = typeof stored === 'string' && (await verifyPassword(stored, passwordFromLoginForm));
 */
export async function verifyPassword(stored: string, candidate: string): Promise<boolean> {
  if (typeof stored !== 'string' || typeof candidate !== 'string') return false;
  const parsed = parse(stored);
  if (parsed === undefined) return false;
  const key = await derive(candidate, parsed.salt, KEY_BYTES, parsed.logN, parsed.r, parsed.p);
  return timingSafeEqual(key, parsed.key);
}

/** True when `value` is a password hash in the format of `hashPassword` (with sane parameters). */
export function isPasswordHash(value: unknown): value is string {
  return typeof value === 'string' && parse(value) !== undefined;
}
