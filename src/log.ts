// JSON logs (pino). Credentials are redacted by path as a second line of defence: code must not log
// secret values in the first place.
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  '*.password',
  '*.token',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.data',
  '*.stringData',
  '*.identity',
  '*.privateKey',
];

export function createLogger(level = process.env.WREN_LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'wren' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
