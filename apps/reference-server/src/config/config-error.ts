/**
 * Raised when the configuration is invalid. `problems` holds one message per bad value, each naming
 * the variable (or config-file key) and what is allowed; the entry point prints them and exits 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** True for a {@link ConfigError}, recognised by `name`. */
export function isConfigError(error: unknown): error is ConfigError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ConfigError';
}
