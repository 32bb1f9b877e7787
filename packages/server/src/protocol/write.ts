import type { NewJournalEvent, RoleSettings, StoreTransaction } from '@scim/core';
import { isStoreError } from '@scim/core';
import type { RequestContext } from './context.js';
import type { JournalledEvent } from './resource-events.js';

/** One write transaction of a request: the store transaction plus the events it will journal. */
export interface WriteScope {
  tx: StoreTransaction;
  /** ISO time of this write. */
  now: string;
  /** The tenant's role settings, read once per transaction. */
  roleSettings(): Promise<RoleSettings | undefined>;
  /** Queues lifecycle events; they are journalled as `scim.<type>` in the same transaction. */
  record(events: JournalledEvent[]): void;
}

const RETRIES_WITHOUT_IF_MATCH = 3;

/**
 * Runs `fn` in one store transaction (or, inside a /Bulk batch, in a savepoint of the batch's),
 * journals the recorded events and touches the tenant's last-sync time in it (also when nothing
 * changed), and afterwards remembers the committed events on the context.
 *
 * Handlers pass the version they read as `expectedVersion` even without If-Match, so a store
 * without serialisable transactions cannot lose an update; such a `precondition_failed` is then
 * retried here (the client did not ask for a precondition) rather than answered 412.
 */
export async function runWrite<T>(
  ctx: RequestContext,
  fn: (scope: WriteScope) => Promise<T>,
  options: { retryOnVersionConflict?: boolean } = {},
): Promise<T> {
  const batch = ctx.batch;
  for (let attempt = 0; ; attempt += 1) {
    const entries: NewJournalEvent[] = [];
    try {
      const unit = async (tx: StoreTransaction): Promise<T> => {
        entries.length = 0;
        const now = ctx.now().toISOString();
        let settings: Promise<RoleSettings | undefined> | undefined;
        const pending: JournalledEvent[] = [];
        const scope: WriteScope = {
          tx,
          now,
          roleSettings: () => {
            settings ??= tx.getRoleSettings();
            return settings;
          },
          record: (events) => {
            pending.push(...events);
          },
        };
        const value = await fn(scope);
        for (const event of pending) {
          const entry: NewJournalEvent = {
            id: ctx.generateId(),
            tenantId: ctx.tenantId,
            type: `scim.${event.type}`,
            time: now,
            resourceType: event.resourceType,
            resourceId: event.resourceId,
            actor: ctx.principal.credentialId,
            requestId: ctx.requestId,
          };
          if (event.changedAttributes !== undefined) entry.changedAttributes = event.changedAttributes;
          if (event.data !== undefined) entry.data = event.data;
          entries.push(entry);
        }
        if (entries.length > 0) await tx.appendEvents(entries);
        // Every successful write is a sync, also one that changed nothing (an IdP re-sending what
        // it has): the host shows the time to tell whether provisioning is alive.
        await tx.touchLastSync(now);
        return value;
      };
      if (batch !== undefined) {
        // A savepoint of the shared transaction: undone on its own when it fails.
        const result = await batch.savepoint(() => unit(batch.tx));
        batch.pending.push(...entries);
        return result;
      }
      const result = await ctx.store.transaction(ctx.tenantId, unit);
      ctx.committed.push(...entries);
      return result;
    } catch (error) {
      const retry =
        options.retryOnVersionConflict === true &&
        isStoreError(error) &&
        error.reason === 'precondition_failed' &&
        attempt < RETRIES_WITHOUT_IF_MATCH;
      if (!retry) throw error;
    }
  }
}
