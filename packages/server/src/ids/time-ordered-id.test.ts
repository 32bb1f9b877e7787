import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a version 7, variant 10 UUID whose first 48 bits are the time in milliseconds', () => {
    const at = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
    const id = timeOrderedId(at);
    expect(id).toMatch(V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time across milliseconds and stays unique within one', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => timeOrderedId(1_700_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    const firstOfEach = ids.filter((_, i) => i % 10 === 0);
    expect([...firstOfEach].sort()).toEqual(firstOfEach);
    for (const id of ids) expect(id).toMatch(V7);
  });

  it('refills its random pool without repeating ids', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => timeOrderedId(0)));
    expect(ids.size).toBe(5000);
  });
});
