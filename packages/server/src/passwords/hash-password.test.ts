import { describe, expect, it } from 'vitest';
import { hashPassword, hashPasswordSync, isPasswordHash, verifyPassword } from './hash-password.js';

const FORMAT = /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/;

describe('hashPassword / verifyPassword', () => {
  it('hashes into the self-describing scrypt format, never containing the password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(FORMAT);
    expect(stored).not.toContain('correct horse');
    const [, , , salt, key] = stored.split('$');
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(32);
    expect(isPasswordHash(stored)).toBe(true);
  });

  it('verifies the right password and rejects wrong ones', async () => {
    const stored = await hashPassword('S3cret!pw');
    expect(await verifyPassword(stored, 'S3cret!pw')).toBe(true);
    expect(await verifyPassword(stored, 's3cret!pw')).toBe(false);
    expect(await verifyPassword(stored, 'S3cret!pw ')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
  });

  it('salts: the same password hashes differently each time, and each hash verifies', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'same')).toBe(true);
    expect(await verifyPassword(b, 'same')).toBe(true);
  });

  it('the synchronous fallback produces hashes that verify like the async ones', async () => {
    const stored = hashPasswordSync('fallback-pw');
    expect(stored).toMatch(FORMAT);
    expect(await verifyPassword(stored, 'fallback-pw')).toBe(true);
    expect(await verifyPassword(stored, 'fallback-px')).toBe(false);
  });

  it('compares Unicode passwords after NFC normalisation (composed and decomposed é verify alike)', async () => {
    const stored = await hashPassword('caf\u00e9');
    expect(await verifyPassword(stored, 'cafe\u0301')).toBe(true);
  });

  it('reads the cost parameters from the stored hash', async () => {
    // A hash made with other (cheaper) parameters still verifies: ln=10, r=4 rebuilt by hand.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('low-cost', salt, 32, { N: 1024, r: 4, p: 1 });
    const stored = `$scrypt$ln=10,r=4,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword(stored, 'low-cost')).toBe(true);
    expect(await verifyPassword(stored, 'other')).toBe(false);
  });

  it('anything that is not such a hash never verifies and never throws', async () => {
    const good = await hashPassword('pw');
    for (const stored of [
      '',
      'pw',
      '$scrypt$',
      good.slice(0, -8),
      good.replace('ln=15', 'ln=30'),
      good.replace('r=8', 'r=99'),
      good.replace('$scrypt$', '$argon2id$'),
      `$scrypt$ln=15,r=8,p=1$${Buffer.from('short').toString('base64')}$${'A'.repeat(44)}`,
    ]) {
      expect(await verifyPassword(stored, 'pw'), stored).toBe(false);
      expect(isPasswordHash(stored), stored).toBe(false);
    }
    expect(await verifyPassword(undefined as unknown as string, 'pw')).toBe(false);
    expect(isPasswordHash(42)).toBe(false);
  });
});
