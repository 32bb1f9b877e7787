export { ConfigError, isConfigError } from './config-error.ts';
export { CONFIG_VARIABLES, type LoadConfigOptions, loadConfig, parseRateLimit } from './load-config.ts';
export { parseDuration } from './parse-duration.ts';
export type { LogLevel, ServerConfig, StoreConfig } from './types.ts';
