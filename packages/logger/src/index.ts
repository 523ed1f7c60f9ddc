import { AsyncLocalStorage } from 'node:async_hooks';
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
  'adminTokens',
  '*.feedKeys',
  '*.editorTokens',
  '*.adminTokens',
  'secret',
  '*.secret',
  'csrf',
  '*.csrf',
  'res.headers["set-cookie"]',
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
  /** Human-readable lines; default when stdout is a terminal (`LOG_FORMAT=json|pretty` overrides). */
  pretty?: boolean;
}

/** Fields every log line inside a job carries: `photoId`, `storyId`, `jobId`, `stage`, `feed`. */
export interface LogContext {
  jobId?: string;
  stage?: string;
  photoId?: string;
  storyId?: string;
  feed?: string;
}

const logContext = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with fields added to every log line it (and anything it awaits) writes. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...context }, fn);
}

/** Adds fields to the current context (e.g. the feed, once the photo is loaded). */
export function addLogContext(fields: LogContext): void {
  const store = logContext.getStore();
  if (store) Object.assign(store, fields);
}

function wantPretty(explicit: boolean | undefined): boolean {
  if (explicit !== undefined) return explicit;
  if (process.env.LOG_FORMAT === 'json') return false;
  if (process.env.LOG_FORMAT === 'pretty') return true;
  return process.stdout.isTTY === true;
}

/**
 * A pino logger with Lightbox's redaction rules: JSON lines on stdout (pretty in a terminal), each
 * line carrying the current job's photoId/storyId/jobId/feed (see `withLogContext`).
 */
export function createLogger({ name, level = 'info', destination, pretty }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: () => ({ ...logContext.getStore() }),
  };
  if (destination) return pino(options, destination as pino.DestinationStream);
  if (wantPretty(pretty))
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } },
    });
  return pino(options);
}
