import { readFileSync } from 'node:fs';
import { Aggregator } from 'mingo';
import { describe, expect, it } from 'vitest';
import { distinctPipeline } from './distinct-values.js';

const memberships = [
  { tenantId: 't1', groupId: 'g1', memberId: 'u1' },
  { tenantId: 't1', groupId: 'g1', memberId: 'u2' },
  { tenantId: 't1', groupId: 'g2', memberId: 'u1' },
  { tenantId: 't1', groupId: 'g3', memberId: 'u3' },
  { tenantId: 't2', groupId: 'g9', memberId: 'u1' },
];

const run = (field: string, filter: Record<string, unknown>) =>
  new Aggregator(distinctPipeline(field, filter))
    .run(memberships)
    .map((row) => String(row._id))
    .sort();

describe('distinctPipeline (mingo, no server)', () => {
  it('yields each value of the field once among the matching documents', () => {
    expect(run('groupId', { tenantId: 't1', memberId: 'u1' })).toEqual(['g1', 'g2']);
    expect(run('memberId', { tenantId: 't1' })).toEqual(['u1', 'u2', 'u3']);
    expect(run('groupId', { tenantId: 't1', memberId: { $in: ['u2', 'u3'] } })).toEqual(['g1', 'g3']);
    expect(run('groupId', { tenantId: 't3' })).toEqual([]);
  });
});

describe('the store never uses the distinct command', () => {
  it('because MongoDB refuses it inside transactions on sharded collections', () => {
    const source = readFileSync(new URL('./create-mongo-store.ts', import.meta.url), 'utf8');
    expect(source, 'use distinctValues (an aggregation) instead of collection.distinct').not.toMatch(
      /\.distinct\(/,
    );
  });
});
