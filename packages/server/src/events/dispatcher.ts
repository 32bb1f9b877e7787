import type { Store } from '@scim/core';
import type { Logger } from 'pino';
import type { EventSink } from './types.js';

/** Options of `createEventDispatcher`. */
export interface EventDispatcherOptions {
  store: Store;
  sinks: EventSink[];
  /** @default 1000 */
  pollIntervalMs?: number;
  /** Events per delivery. @default 100 */
  batchSize?: number;
  logger?: Logger;
}

/** Feeds sinks from the journal. */
export interface EventDispatcher {
  /** Starts polling. */
  start(): void;
  /** Stops polling after delivering what is pending (best effort). */
  stop(): Promise<void>;
  /** Delivers until every sink has caught up (or a sink fails). Resolves when done. */
  drain(): Promise<void>;
  /** Asks for a delivery round soon (after a commit). */
  nudge(): void;
  /** Pending events per sink (counted up to 10000). */
  backlog(): Promise<Record<string, number>>;
}

const BACKLOG_CAP = 10_000;

/**
 * Reads the journal after commit and delivers it to each sink, each at its own position kept in the
 * store (`getSinkPosition`/`setSinkPosition`), so a sink that is down resumes where it stopped:
 * at-least-once delivery, in journal order.
 *
 * @example
 * const dispatcher = createEventDispatcher({ store, sinks: [callbackSink('log', console.log)] });
 * dispatcher.start();
 * // ... on shutdown
 * await dispatcher.stop();
 */
export function createEventDispatcher(options: EventDispatcherOptions): EventDispatcher {
  const { store, sinks, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const deliverSink = async (sink: EventSink): Promise<void> => {
    for (;;) {
      const position = await store.getSinkPosition(sink.name);
      const events = await store.readJournal({
        afterPosition: position,
        limit: batchSize,
        order: 'ascending',
      });
      if (events.length === 0) return;
      await sink.deliver(events);
      await store.setSinkPosition(sink.name, events[events.length - 1]!.position);
      if (events.length < batchSize) return;
    }
  };

  const round = async (): Promise<void> => {
    for (const sink of sinks) {
      try {
        await deliverSink(sink);
      } catch (error) {
        logger?.warn({ err: error, sink: sink.name }, 'event sink failed; will retry');
      }
    }
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await round();
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void run(), pollIntervalMs);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await run();
    },
    drain: () => run(),
    nudge() {
      if (timer) void run();
    },
    async backlog() {
      const result: Record<string, number> = {};
      for (const sink of sinks) {
        let position = await store.getSinkPosition(sink.name);
        let pending = 0;
        while (pending < BACKLOG_CAP) {
          const events = await store.readJournal({
            afterPosition: position,
            limit: 1000,
            order: 'ascending',
          });
          pending += events.length;
          if (events.length < 1000) break;
          position = events[events.length - 1]!.position;
        }
        result[sink.name] = pending;
      }
      return result;
    },
  };
}
