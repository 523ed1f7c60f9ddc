import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line: auth headers, keys, tokens, secrets. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  '*.authorization',
  'key',
  '*.key',
  'token',
  '*.token',
  'feedKeys',
  'editorTokens',
  '*.feedKeys',
  '*.editorTokens',
  'secretAccessKey',
  '*.secretAccessKey',
  's3.secretAccessKey',
  'config.s3.secretAccessKey',
];

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /** Write to this destination instead of stdout (tests). */
  destination?: NodeJS.WritableStream;
}

/** A pino logger with Lightbox's redaction rules. JSON lines on stdout. */
export function createLogger({ name, level = 'info', destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
