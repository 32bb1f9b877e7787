import pino, { type Logger } from 'pino';

/** Paths pino censors in every line the server writes. */
export const REDACT_PATHS = [
  'authorization',
  'password',
  'secret',
  'token',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.token',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'body.password',
  '*.headers.authorization',
];

/** The default logger: pino at `warn` on stderr, with secrets redacted. */
export function createDefaultLogger(): Logger {
  return pino({ level: 'warn', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination(2));
}

/** A child logger bound to one request, with redaction applied even to a host-provided logger. */
export function requestLogger(logger: Logger, requestId: string): Logger {
  return logger.child({ requestId }, { redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
