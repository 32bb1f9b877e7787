import { describe, expect, it } from 'vitest';
import { createAsyncMutex } from './async-mutex.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { compareSortKeys } from './sort-order.js';

describe('base64url', () => {
  it('round-trips ASCII, multi-byte and astral text at every padding length', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'Zoë ユーザー 𝄞', '{"k":"%_\\\\"}']) {
      const encoded = encodeBase64Url(text);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(decodeBase64Url(encoded)).toBe(text);
    }
  });

  it('rejects characters outside the alphabet and impossible lengths', () => {
    expect(decodeBase64Url('ab+c')).toBeUndefined();
    expect(decodeBase64Url('abcde')).toBeUndefined();
  });
});

describe('cursor', () => {
  it('round-trips a position for the same query', () => {
    const cursor = encodeCursor('User||a', { direction: 'before', key: 'ada', id: 'u1' });
    expect(decodeCursor(cursor, 'User||a')).toEqual({ direction: 'before', key: 'ada', id: 'u1' });
  });

  it('refuses a cursor of another query or a damaged one with 400 invalidCursor', () => {
    const cursor = encodeCursor('User|username|a', { direction: 'after', key: null, id: 'u1' });
    for (const [value, fingerprint] of [
      [cursor, 'User|username|d'],
      [`${cursor}x`, 'User|username|a'],
      ['not-a-cursor', 'User|username|a'],
    ] as const) {
      expect(() => decodeCursor(value, fingerprint)).toThrow(
        expect.objectContaining({ name: 'ScimError', status: 400, scimType: 'invalidCursor' }),
      );
    }
  });
});

describe('compareSortKeys', () => {
  it('orders numbers, then strings by code point, then missing values', () => {
    const keys = [null, 'b', 'B', 10, 9, 'a'];
    expect([...keys].sort(compareSortKeys)).toEqual([9, 10, 'B', 'a', 'b', null]);
  });
});

describe('createAsyncMutex', () => {
  it('runs critical sections one at a time, in call order, also after a failure', async () => {
    const mutex = createAsyncMutex();
    const log: string[] = [];
    const section = (name: string, fail = false) =>
      mutex.run(async () => {
        log.push(`${name}:start`);
        await Promise.resolve();
        await Promise.resolve();
        log.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([section('a'), section('b', true), section('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });
});
