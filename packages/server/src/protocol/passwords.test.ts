import type { PatchDelta } from '@scim/core';
import { defaultSchemaRegistry } from '@scim/core';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../passwords/hash-password.js';
import type { RequestContext } from './context.js';
import {
  passwordPolicy,
  prehashBulkPasswords,
  prehashPasswords,
  storablePassword,
  withoutDiscardedPassword,
} from './passwords.js';

function context(passwords: 'discard' | 'hash', extra: Partial<RequestContext> = {}) {
  const warnings: unknown[][] = [];
  const ctx = {
    registry: defaultSchemaRegistry,
    policies: { passwords },
    logger: { warn: (...args: unknown[]) => void warnings.push(args) },
    ...extra,
  } as unknown as RequestContext;
  return { ctx, warnings };
}

describe('storablePassword', () => {
  it('discard: the data keeps everything but the password', () => {
    const { ctx } = context('discard');
    expect(storablePassword(ctx, 'User', { userName: 'a', password: 'p' }, new Map())).toEqual({
      userName: 'a',
    });
    // A plaintext stored by an earlier version is dropped as well.
    expect(
      storablePassword(ctx, 'User', { userName: 'a', password: 'old' }, new Map(), { password: 'old' }),
    ).toEqual({ userName: 'a' });
  });

  it('hash: the precomputed hash replaces the plaintext', async () => {
    const { ctx, warnings } = context('hash');
    const hash = await hashPassword('p');
    expect(storablePassword(ctx, 'User', { userName: 'a', password: 'p' }, new Map([['p', hash]]))).toEqual({
      userName: 'a',
      password: hash,
    });
    expect(warnings).toHaveLength(0);
  });

  it('hash: a value equal to the stored hash stays as it is (a PUT that round-trips the data)', async () => {
    const { ctx, warnings } = context('hash');
    const hash = await hashPassword('p');
    const data = { userName: 'a', password: hash };
    expect(storablePassword(ctx, 'User', data, new Map(), { password: hash })).toBe(data);
    expect(warnings).toHaveLength(0);
  });

  it('hash: a plaintext the pre-pass missed is hashed synchronously, logged without its value', async () => {
    const { ctx, warnings } = context('hash');
    const out = storablePassword(ctx, 'User', { userName: 'a', password: 'missed-pw' }, new Map());
    expect(out.password).toMatch(/^\$scrypt\$/);
    expect(await verifyPassword(out.password as string, 'missed-pw')).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('missed-pw');
  });

  it('hash: a legacy plaintext equal to the stored value is hashed, not kept', async () => {
    const { ctx } = context('hash');
    const out = storablePassword(ctx, 'User', { password: 'legacy' }, new Map(), { password: 'legacy' });
    expect(await verifyPassword(out.password as string, 'legacy')).toBe(true);
  });

  it('leaves other resource types and data without a password untouched', () => {
    const { ctx } = context('hash');
    const group = { displayName: 'G', password: 'custom attribute' };
    expect(storablePassword(ctx, 'Group', group, new Map())).toBe(group);
    const user = { userName: 'a' };
    expect(storablePassword(ctx, 'User', user, new Map())).toBe(user);
  });
});

describe('prehashPasswords', () => {
  it('hash: hashes the passwords of a body, each once', async () => {
    const { ctx } = context('hash');
    const hashes = await prehashPasswords(ctx, 'User', 'patch', {
      Operations: [
        { op: 'replace', path: 'password', value: 'one' },
        { op: 'replace', value: { password: 'one' } },
      ],
    });
    expect([...hashes.keys()]).toEqual(['one']);
    expect(await verifyPassword(hashes.get('one')!, 'one')).toBe(true);
  });

  it('does nothing with discard, for other types, or inside a /Bulk batch (a transaction is open)', async () => {
    expect((await prehashPasswords(context('discard').ctx, 'User', 'resource', { password: 'x' })).size).toBe(
      0,
    );
    expect((await prehashPasswords(context('hash').ctx, 'Group', 'resource', { password: 'x' })).size).toBe(
      0,
    );
    const inBatch = context('hash', { batch: {} as RequestContext['batch'] }).ctx;
    expect((await prehashPasswords(inBatch, 'User', 'resource', { password: 'x' })).size).toBe(0);
  });

  it('reuses what /Bulk already hashed', async () => {
    const { ctx } = context('hash');
    const bulk = await prehashBulkPasswords(ctx, {
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: { password: 'bulk-pw' } }],
    });
    const reused = await prehashPasswords({ ...ctx, passwordHashes: bulk }, 'User', 'resource', {
      password: 'bulk-pw',
    });
    expect(reused.get('bulk-pw')).toBe(bulk.get('bulk-pw'));
  });
});

describe('withoutDiscardedPassword', () => {
  const delta: PatchDelta = { changedAttributes: ['active', 'password'] };
  it('drops password from the changes with discard, keeps it with hash', () => {
    expect(withoutDiscardedPassword(context('discard').ctx, 'User', delta).changedAttributes).toEqual([
      'active',
    ]);
    expect(withoutDiscardedPassword(context('hash').ctx, 'User', delta).changedAttributes).toEqual([
      'active',
      'password',
    ]);
  });
});

describe('passwordPolicy', () => {
  it('defaults to discard and refuses anything else than discard or hash', () => {
    expect(passwordPolicy(undefined)).toBe('discard');
    expect(passwordPolicy('hash')).toBe('hash');
    expect(() => passwordPolicy('plain')).toThrow(/policies.passwords must be "discard" or "hash"/);
  });
});
