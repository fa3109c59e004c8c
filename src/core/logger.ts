import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

/** Paths that may hold secrets: never written to a log, whatever logs them. */
export const REDACT_PATHS = [
  'apiKey',
  'apiToken',
  'webhookToken',
  'token',
  'password',
  'authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.apiKey',
  '*.apiToken',
  '*.webhookToken',
  'signature',
];

export function createLogger(
  level: LoggerOptions['level'] = 'info',
  destination?: NodeJS.WritableStream,
): Logger {
  const opts: LoggerOptions = {
    level,
    base: { service: 'leadhouse' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(opts, destination as never) : pino(opts);
}
