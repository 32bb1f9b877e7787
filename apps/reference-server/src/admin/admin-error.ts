/** Why an admin operation was refused. The HTTP layer maps: invalid -> 400, not_found -> 404, conflict -> 409. */
export type AdminErrorReason = 'invalid' | 'not_found' | 'conflict';

/**
 * A refused admin operation, with a message for the person at the CLI or the settings page that says
 * what to fix. Transport-free: the CLI prints `message`, the admin API maps `reason` to a status.
 */
export class AdminError extends Error {
  override readonly name = 'AdminError';
  readonly reason: AdminErrorReason;

  constructor(reason: AdminErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** True for an {@link AdminError}, recognised by `name`. */
export function isAdminError(error: unknown): error is AdminError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AdminError';
}
