import { ScimError, StoreError } from '@scim/core';
import { BSON, MongoNetworkError, MongoServerError, MongoTransactionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { classifyMongoError, isDriverError, toTransactionFailure } from './classify-mongo-error.js';

/** A fake driver error: the fields the driver puts on MongoServerError / MongoNetworkError. */
function fake(fields: Record<string, unknown>, labels: string[] = []): Error {
  const error = Object.assign(new Error(String(fields.message ?? 'boom')), fields);
  Object.defineProperty(error, 'hasErrorLabel', { value: (label: string) => labels.includes(label) });
  return error;
}

describe('classifyMongoError', () => {
  it('turns a duplicate key on a unique attribute into a conflict naming the attribute', () => {
    const cause = fake({
      name: 'MongoServerError',
      code: 11000,
      keyPattern: { tenantId: 1, resourceType: 1, '_u.userName': 1 },
      keyValue: { tenantId: 't', resourceType: 'User', '_u.userName': 'ada' },
    });
    const error = classifyMongoError(cause);
    expect(error).toMatchObject({
      name: 'StoreError',
      reason: 'conflict',
      retryable: false,
      attribute: 'userName',
    });
    expect(error.cause).toBe(cause);
  });

  it("decodes extension attributes from the key and reads old servers' messages", () => {
    expect(
      classifyMongoError(fake({ code: 11000, keyPattern: { '_u.urn:acme:2%2E0:User:employeeKey': 1 } }))
        .attribute,
    ).toBe('urn:acme:2.0:User:employeeKey');
    expect(
      classifyMongoError(
        fake({
          code: 11000,
          message:
            'E11000 duplicate key error collection: db.scim_resources index: unique_userName dup key: { : "ada" }',
        }),
      ).attribute,
    ).toBe('userName');
    expect(classifyMongoError(fake({ code: 11000, keyPattern: { tenantId: 1, id: 1 } })).attribute).toBe(
      'id',
    );
    expect(classifyMongoError(fake({ code: 11000, keyPattern: { hash: 1 } })).attribute).toBe('hash');
  });

  it('makes a write conflict a retryable precondition failure', () => {
    expect(
      classifyMongoError(fake({ code: 112, codeName: 'WriteConflict' }, ['TransientTransactionError'])),
    ).toMatchObject({
      reason: 'precondition_failed',
      retryable: true,
    });
  });

  it('makes network failures, elections and retryable labels retryable unavailability', () => {
    for (const cause of [
      fake({ name: 'MongoNetworkError' }),
      fake({ name: 'MongoServerSelectionError' }),
      fake({ name: 'MongoServerError', code: 10107 }),
      fake({ name: 'MongoServerError', code: 189 }),
      fake({ name: 'MongoServerError', code: 1 }, ['RetryableWriteError']),
      Object.assign(new Error('x'), { errorLabels: ['TransientTransactionError'] }),
    ]) {
      expect(classifyMongoError(cause)).toMatchObject({ reason: 'unavailable', retryable: true });
    }
  });

  it('keeps anything else as a non-retryable unavailable with its cause, and passes StoreErrors through', () => {
    const cause = fake({ name: 'MongoServerError', code: 2, message: 'BadValue' });
    expect(classifyMongoError(cause)).toMatchObject({ reason: 'unavailable', retryable: false, cause });
    expect(classifyMongoError('weird')).toMatchObject({ reason: 'unavailable', retryable: false });
    const own = new StoreError('not_found');
    expect(classifyMongoError(own)).toBe(own);
  });
});

describe('toTransactionFailure', () => {
  it("passes the transaction callback's own errors through unchanged (the Store contract)", () => {
    class Rollback extends Error {
      override readonly name = 'Rollback';
    }
    const own = [new Rollback('undo'), new TypeError('bug'), new ScimError(400, 'invalidValue', 'bad')];
    for (const error of own) expect(toTransactionFailure(error)).toBe(error);
    const storeError = new StoreError('conflict', { attribute: 'userName' });
    expect(toTransactionFailure(storeError)).toBe(storeError);
    expect(toTransactionFailure('a string')).toBe('a string');
  });

  it('classifies what the driver throws, using its real error classes', () => {
    const duplicate = new MongoServerError({
      message: 'E11000 duplicate key error',
      code: 11000,
      keyPattern: { tenantId: 1, resourceType: 1, '_u.userName': 1 },
    });
    expect(toTransactionFailure(duplicate)).toMatchObject({
      name: 'StoreError',
      reason: 'conflict',
      attribute: 'userName',
    });
    expect(toTransactionFailure(new MongoNetworkError('socket closed'))).toMatchObject({
      name: 'StoreError',
      reason: 'unavailable',
      retryable: true,
    });
    expect(isDriverError(new MongoTransactionError('aborted'))).toBe(true);
    expect(isDriverError(new BSON.BSONError('too large'))).toBe(true);
    expect(isDriverError(new Error('plain'))).toBe(false);
  });
});
