/**
 * The repository rules' one place of declaration: which packages are pure, what counts as I/O, and the
 * breaches known and owned elsewhere (each names who removes it). `npm test` fails on anything else.
 */

/** Packages that do no I/O: logic in side-effect-free functions, given their data. */
export const PURE_PACKAGES = [
  'contracts',
  'feed-rules',
  'feed-watch',
  'gallery',
  'lifecycle',
  'matching',
  'metadata',
  'newsml',
  'wire-rules',
] as const;

/** Node built-ins a pure package must not import (crypto, path, url… compute and are allowed). */
export const IO_BUILTINS = [
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'tls',
  'worker_threads',
];

/** Libraries that talk to the outside world; a pure package must not import them. */
export const IO_LIBRARIES = [
  /^@aws-sdk\//,
  /^@bull-board\//,
  /^@fastify\//,
  /^bullmq/,
  /^fastify$/,
  /^ioredis$/,
  /^pino$/,
  /^prom-client$/,
  /^s3rver$/,
  /^sharp$/,
  /^testcontainers$/,
];

export interface KnownBreach {
  /** `from -> to`, workspace folder names. */
  edge: string;
  why: string;
}

/** Breaches that stay until the work named removes them; printed on every run. */
export const KNOWN_BREACHES: KnownBreach[] = [];
