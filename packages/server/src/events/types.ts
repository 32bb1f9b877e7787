import type { JournalEvent } from '@scim/core';

/**
 * Receives journal events after commit, in journal order, at least once: a batch whose `deliver`
 * throws is offered again later, so sinks should be idempotent on `event.id`.
 */
export interface EventSink {
  /** Unique name; the store keeps the sink's position under it. */
  readonly name: string;
  deliver(events: JournalEvent[]): Promise<void>;
}
