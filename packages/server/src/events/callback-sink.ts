import type { JournalEvent } from '@scim/core';
import type { EventSink } from './types.js';

/**
 * An in-process sink that hands each batch to a function (revoke sessions, update a cache, ...).
 *
 * @example
 * const sink = callbackSink('sessions', async (events) => {
 *   for (const e of events) if (e.type === 'scim.user.deactivated') await revokeSessions(e.resourceId);
 * });
 */
export function callbackSink(name: string, fn: (events: JournalEvent[]) => void | Promise<void>): EventSink {
  return {
    name,
    async deliver(events) {
      await fn(events);
    },
  };
}
