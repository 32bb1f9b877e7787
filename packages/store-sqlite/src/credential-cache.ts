import { appendFileSync, closeSync, fstatSync, openSync } from 'node:fs';
import { type Credential, StoreError } from '@scim/core';

const MAX_ENTRIES = 10_000;

/**
 * Credentials found by hash, kept between requests so that authenticating does not cost a read
 * transaction each time (about 3 us of a 40 us GET), while a revocation or expiry change made by any
 * process is still seen by the very next request of every process.
 *
 * The processes sharing a database file share a signal file beside it (`<database>-credentials`).
 * A store that changes when a credential stops working (`revokedAt`, `expiresAt`) appends one byte
 * to it after the change commits. Before answering from memory, a store compares the file's identity
 * and size with what they were when its cached entries were read, and forgets them all if either
 * moved. The comparison happens before the database read that fills the cache, so an entry read
 * while another process was revoking is dropped at the next request. An `fstat` costs far less
 * than a read transaction. Only credentials that exist are kept; an unknown hash always reads the database.
 */
export class CredentialCache {
  readonly #path: string;
  readonly #entries = new Map<string, Credential>();
  /** A descriptor of the signal file: fstat costs half a stat by path. */
  #fd: number;
  /** The signal file's inode and size when the entries were read; -1 when nothing may be kept. */
  #ino = -1;
  #size = -1;
  /** Counts the times the entries were forgotten: a read begun before one of them is not kept. */
  #epoch = 0;

  private constructor(path: string, fd: number) {
    this.#path = path;
    this.#fd = fd;
  }

  /**
   * The cache of the database file at `databasePath`, or undefined when its signal file cannot be
   * opened for appending (a read-only directory): the store then reads every time.
   */
  static open(databasePath: string): CredentialCache | undefined {
    const path = `${databasePath}-credentials`;
    try {
      appendFileSync(path, ''); // created when missing
      return new CredentialCache(path, openSync(path, 'r'));
    } catch {
      return undefined;
    }
  }

  /**
   * The credential kept for `hash`, or undefined (then `read` it from the database and `keep` it).
   * Call `sync` first, before the read.
   */
  get(hash: string): Credential | undefined {
    const credential = this.#entries.get(hash);
    return credential === undefined ? undefined : { ...credential };
  }

  /**
   * Forgets every entry if some process announced a credential change since the last call. Returns
   * the epoch to pass to `keep` with what the caller then reads, or -1 when the signal file cannot be
   * read: nothing is kept then, and the caller reads the database.
   */
  sync(): number {
    let ino: number;
    let size: number;
    try {
      if (this.#fd === -1) this.#fd = openSync(this.#path, 'r'); // after a failure: try again
      let stats = fstatSync(this.#fd);
      if (stats.nlink === 0) {
        // Removed (or replaced): follow the path to the file the other processes now append to.
        closeSync(this.#fd);
        this.#fd = -1;
        appendFileSync(this.#path, '');
        this.#fd = openSync(this.#path, 'r');
        stats = fstatSync(this.#fd);
      }
      ino = stats.ino;
      size = stats.size;
    } catch {
      this.#forget();
      this.#ino = -1;
      return -1;
    }
    if (ino !== this.#ino || size !== this.#size) {
      this.#forget();
      this.#ino = ino;
      this.#size = size;
    }
    return this.#epoch;
  }

  /**
   * Keeps a credential read after the `sync` that returned `epoch`, unless the entries were forgotten
   * since: another request may have seen a change in between, and this read may predate it.
   */
  keep(hash: string, credential: Credential, epoch: number): void {
    if (epoch === -1 || epoch !== this.#epoch || this.#ino === -1) return;
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(hash, { ...credential });
  }

  /** Tells every process (this one included) that a credential changed; call after the commit. */
  announceChange(): void {
    this.#forget();
    try {
      // By path, not a kept descriptor: a signal file removed meanwhile is created again.
      appendFileSync(this.#path, '.');
    } catch (cause) {
      throw new StoreError('unavailable', {
        cause,
        detail: `The credential change was saved, but other processes sharing the database could not be told (${this.#path}: ${(cause as Error).message}); restart them to be sure they see it`,
      });
    }
  }

  #forget(): void {
    this.#entries.clear();
    this.#epoch += 1;
  }

  close(): void {
    this.#forget();
    if (this.#fd === -1) return;
    try {
      closeSync(this.#fd);
    } catch {
      // Already closed.
    }
    this.#fd = -1;
  }
}
