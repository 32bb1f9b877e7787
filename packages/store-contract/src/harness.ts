import { randomUUID } from 'node:crypto';
import {
  type GroupRef,
  type MemberRef,
  type NewResource,
  SCHEMA_URNS,
  type SchemaRegistry,
  type Store,
  type StoreErrorReason,
  isScimError,
  isStoreError,
} from '@scim/core';
import { expect, it } from 'vitest';
import type { StoreContractOptions } from './contract-options.js';

/** What every contract test receives: a fresh store and a fresh random tenant. */
export interface ContractTestContext {
  store: Store;
  /** A random tenant id unique to this test. */
  tenant: string;
  registry: SchemaRegistry;
  /** A new random tenant id. */
  newTenant(): string;
  /** A new random resource id. */
  newId(): string;
  /** Strictly increasing ISO 8601 times, one second apart. */
  now(): string;
}

/** Registers the `it` calls of a group. */
export interface Harness {
  registry: SchemaRegistry;
  slowTimeout: number;
  test(name: string, fn: (context: ContractTestContext) => Promise<void>, timeout?: number): void;
}

export function createHarness(options: StoreContractOptions, registry: SchemaRegistry): Harness {
  const destroy = options.destroyStore ?? ((store: Store) => store.close());
  return {
    registry,
    slowTimeout: options.slowTestTimeout ?? 60_000,
    test(name, fn, timeout) {
      it(
        name,
        async () => {
          const store = await options.createStore({ registry });
          let tick = Date.parse('2025-03-01T08:00:00.000Z');
          try {
            await fn({
              store,
              registry,
              tenant: randomTenant(),
              newTenant: randomTenant,
              newId: () => randomUUID(),
              now: () => {
                tick += 1000;
                return new Date(tick).toISOString();
              },
            });
          } finally {
            await destroy(store);
          }
        },
        timeout,
      );
    },
  };
}

function randomTenant(): string {
  return `tenant-${randomUUID()}`;
}

/** User data with the core schema. */
export function userData(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [SCHEMA_URNS.user], userName, ...extra };
}

/** Group data with the core schema. */
export function groupData(displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [SCHEMA_URNS.group], displayName, ...extra };
}

/** Creates users in one transaction; returns their ids in order. */
export async function createUsers(
  context: ContractTestContext,
  users: Array<string | { userName: string; extra?: Record<string, unknown> }>,
  tenant = context.tenant,
): Promise<string[]> {
  const ids = users.map(() => context.newId());
  await context.store.transaction(tenant, async (tx) => {
    for (const [index, user] of users.entries()) {
      const spec = typeof user === 'string' ? { userName: user } : user;
      await tx.create({
        resourceType: 'User',
        id: ids[index]!,
        now: context.now(),
        data: userData(spec.userName, spec.extra),
      });
    }
  });
  return ids;
}

/** Creates one group (with optional initial members); returns its id. */
export async function createGroup(
  context: ContractTestContext,
  displayName: string,
  options: { members?: MemberRef[]; extra?: Record<string, unknown>; tenant?: string } = {},
): Promise<string> {
  const id = context.newId();
  const input: NewResource = {
    resourceType: 'Group',
    id,
    now: context.now(),
    data: groupData(displayName, options.extra),
  };
  if (options.members) input.members = options.members;
  await context.store.transaction(options.tenant ?? context.tenant, (tx) => tx.create(input));
  return id;
}

/** Member refs of users. */
export function userMembers(ids: readonly string[]): MemberRef[] {
  return ids.map((value) => ({ value, type: 'User' }));
}

/** Asserts that `promise` rejects with a `StoreError` of `reason`; returns the error. */
export async function expectStoreError(
  promise: Promise<unknown>,
  reason: StoreErrorReason,
): Promise<{ reason: string; attribute?: string | undefined; message: string }> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    expect(isStoreError(error), `expected StoreError('${reason}'), got ${describeError(error)}`).toBe(true);
    const storeError = error as { reason: string; attribute?: string; message: string };
    expect(storeError.reason, `StoreError reason (message: ${storeError.message})`).toBe(reason);
    return storeError;
  }
  return expect.fail(
    `expected StoreError('${reason}'), but the call succeeded with ${JSON.stringify(outcome)}`,
  );
}

/** Asserts that `promise` rejects with `ScimError(status, scimType)`. */
export async function expectScimError(
  promise: Promise<unknown>,
  status: number,
  scimType: string,
): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(
      isScimError(error),
      `expected ScimError(${status}, ${scimType}), got ${describeError(error)}`,
    ).toBe(true);
    const scimError = error as { status: number; scimType?: string; detail: string };
    expect({ status: scimError.status, scimType: scimError.scimType }).toEqual({ status, scimType });
    expect(
      scimError.detail.length,
      'the ScimError needs a detail that tells the caller what to fix',
    ).toBeGreaterThan(10);
    return;
  }
  expect.fail(`expected ScimError(${status}, ${scimType}), but the call succeeded`);
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return JSON.stringify(error);
}

/** Sorted ids of a list of resources or group refs. */
export function sortedIds(items: ReadonlyArray<{ id: string } | GroupRef>): string[] {
  return items.map((item) => item.id).sort();
}

/** Code-unit sort of strings (what `[].sort()` does), named for readability. */
export function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}
