import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The checkpoint loop of the worker thread. It opens its own connection to the database file and
 * copies committed WAL frames into the main file with PASSIVE checkpoints, which never block
 * readers or the writer. The fsync a checkpoint needs then happens on this thread, not on the
 * event loop of the process that serves requests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let timer;
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again, and the writer's own autocheckpoint is the backstop.
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
tick();
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearTimeout(timer);
  try { db.close(); } finally { parentPort.close(); }
});
`;

/** Write transactions after which the worker starts (short-lived stores in tests never start one). */
const START_AFTER_COMMITS = 50;

/**
 * Moves WAL checkpoints off the event loop: after the first few dozen commits it starts a worker
 * thread that checkpoints every `intervalMs`. Until then (and as a backstop if the worker falls
 * behind) SQLite's own autocheckpoint on the writer connection does the work.
 */
export class BackgroundCheckpointer {
  readonly #path: string;
  readonly #intervalMs: number;
  #commits = 0;
  #worker: Worker | undefined;
  #closed = false;

  constructor(path: string, intervalMs: number) {
    this.#path = path;
    this.#intervalMs = intervalMs;
  }

  /** True once the worker thread runs. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Counts a commit; starts the worker once writes happen in earnest. */
  afterCommit(): void {
    if (this.#worker !== undefined || this.#closed) return;
    this.#commits += 1;
    if (this.#commits >= START_AFTER_COMMITS) this.start();
  }

  /** Starts the worker now. */
  start(): void {
    if (this.#worker !== undefined || this.#closed) return;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, path: this.#path, intervalMs: this.#intervalMs },
    });
    // Checkpointing is an optimisation: a failing worker leaves the work to the autocheckpoint.
    worker.on('error', () => undefined);
    worker.unref();
    this.#worker = worker;
  }

  /** Stops the worker (its connection closes cleanly) and waits for it to exit. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
