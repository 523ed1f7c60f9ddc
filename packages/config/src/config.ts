import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  concurrencyByClass,
  DEFAULT_RENDITION_SET,
  DEFAULT_WEBHOOK_EVENTS,
  type RenditionSpec,
  renditionSetSchema,
  STAGES,
  type StageName,
  type WatermarkConfig,
  type WebhookSubscriber,
  watermarkConfigSchema,
  webhookSubscribersSchema,
} from '@lightbox/contracts';
import {
  FeedRulesError,
  type FeedRulesFile,
  feedWatermarkConfig,
  parseFeedRules,
} from '@lightbox/feed-rules';
import { parseFeedGroups } from '@lightbox/lifecycle';
import { parseSentinelList, type RedisEndpoint } from '@lightbox/redis/endpoint';
import { z } from 'zod';
import { parseCidr, webhookTargetProblem } from './webhook-targets.js';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const intFrom = (def: number, min = 0) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).default(def));
const numberFrom = (def: number) => z.preprocess(emptyToUndefined, z.coerce.number().default(def));

export interface FeedKey {
  feed: string;
  key: string;
}

/** Parses `LIGHTBOX_FEED_KEYS`: comma-separated `feed:key` pairs. */
export function parseFeedKeys(value: string | undefined): FeedKey[] {
  if (!value || value.trim() === '') return [];
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const idx = pair.indexOf(':');
      if (idx <= 0 || idx === pair.length - 1) {
        throw new Error(`LIGHTBOX_FEED_KEYS entry "${pair.split(':')[0]}:…" must be feed:key`);
      }
      const feed = pair.slice(0, idx).trim();
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(feed)) {
        throw new Error(`LIGHTBOX_FEED_KEYS feed name "${feed}" may only use letters, digits, _ . -`);
      }
      return { feed, key: pair.slice(idx + 1).trim() };
    });
}

export type TrustProxy = boolean | number | string[];

/**
 * Parses `LIGHTBOX_TRUST_PROXY`: `true`/`false`, a number of proxy hops, or a comma-separated list
 * of the proxies' addresses or CIDR ranges (what Fastify's `trustProxy` takes).
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !bitsOk || rest.length > 0)
      throw new ConfigError(
        `LIGHTBOX_TRUST_PROXY: "${entry}" is not an address or CIDR range (use true, false, a hop count, or addresses such as 10.0.0.0/8)`,
      );
  }
  return entries;
}

/** Parses a comma-separated token list (`LIGHTBOX_EDITOR_TOKENS`). */
export function parseTokenList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

const envSchema = z.object({
  LIGHTBOX_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  PORT: intFrom(8080),
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  REDIS_URL: optionalString,
  /** A Sentinel group instead of REDIS_URL: `host:port,host:port` and the group's name. */
  REDIS_SENTINELS: optionalString,
  REDIS_SENTINEL_NAME: optionalString,
  /** With Sentinel: the primary's password (and ACL user), and the Sentinels' own password. */
  REDIS_PASSWORD: optionalString,
  REDIS_USERNAME: optionalString,
  REDIS_SENTINEL_PASSWORD: optionalString,
  /** Replicas that must hold an acceptance before it is answered (Redis WAIT), and how long to wait. */
  LIGHTBOX_REDIS_WAIT_REPLICAS: intFrom(1),
  LIGHTBOX_REDIS_WAIT_MS: intFrom(500, 1),
  /** How often the reconciler compares object storage with Redis (0: only when asked). */
  LIGHTBOX_RECONCILE_INTERVAL_S: intFrom(300),
  /** Acceptances younger than this are left to their upload, which may still be under way. */
  LIGHTBOX_RECONCILE_GRACE_S: intFrom(60),
  LIGHTBOX_REDIS_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_{}.-]+$/)
      .default('lightbox'),
  ),
  S3_ENDPOINT: optionalString,
  S3_REGION: z.preprocess(emptyToUndefined, z.string().default('us-east-1')),
  S3_BUCKET: z.preprocess(emptyToUndefined, z.string().default('lightbox')),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  PUBLIC_BASE_URL: optionalString,
  LIGHTBOX_FEED_KEYS: optionalString,
  LIGHTBOX_EDITOR_TOKENS: optionalString,
  LIGHTBOX_ADMIN_TOKENS: optionalString,
  LIGHTBOX_SESSION_HOURS: numberFrom(12),
  LIGHTBOX_SSE_STREAMS_PER_SESSION: intFrom(4, 1),
  LIGHTBOX_GALLERY_READ_TOKENS: optionalString,
  LIGHTBOX_RATE_LIMIT_PER_MINUTE: intFrom(1200, 1),
  LIGHTBOX_AUTH_RATE_LIMIT_PER_MINUTE: intFrom(30, 1),
  LIGHTBOX_PUBLIC_RATE_LIMIT_PER_MINUTE: intFrom(1200, 1),
  LIGHTBOX_TRUST_PROXY: optionalString,
  LIGHTBOX_REQUEST_TIMEOUT_MS: intFrom(120_000, 1000),
  LIGHTBOX_METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  LIGHTBOX_METRICS_TOKEN: optionalString,
  LIGHTBOX_METRICS_HOST: optionalString,
  LIGHTBOX_WEBHOOK_ALLOWED_HOSTS: optionalString,
  LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: optionalString,
  QUEUES: optionalString,
  /** Read by the logger: `json` (default off a terminal) or `pretty`. */
  /** OpenTelemetry tracing of every queue hop (bullmq-otel); needs an OpenTelemetry SDK in the process. */
  LIGHTBOX_OTEL_TRACING: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LIGHTBOX_MAX_UPLOAD_BYTES: intFrom(50 * 1024 * 1024, 1),
  LIGHTBOX_MAX_INPUT_PIXELS: intFrom(100_000_000, 1),
  /**
   * Render jobs per worker process: one per core. A 24 MP render holds 80–100 MB at its peak, so
   * two per core (the floor's) took a worker past 400 MB; the render is CPU-bound (its S3 transfers
   * are under a tenth of the job), so one per core keeps the cores busy (docs/operations.md).
   */
  LIGHTBOX_RENDER_CONCURRENCY: intFrom(Math.max(1, availableParallelism()), 1),
  LIGHTBOX_IO_CONCURRENCY: intFrom(8, 1),
  LIGHTBOX_STAGE_CONCURRENCY: optionalString,
  LIGHTBOX_PUBLISH_DELAY_MS: intFrom(100),
  LIGHTBOX_PUBLISH_SPACING_MS: intFrom(2000),
  LIGHTBOX_FEED_REFRESH_MS: intFrom(30_000),
  LIGHTBOX_STORY_AUTO_CLOSE_HOURS: numberFrom(48),
  LIGHTBOX_FEED_GROUPS: optionalString,
  LIGHTBOX_HOTFOLDER_QUIET_MS: intFrom(5000),
  LIGHTBOX_HOTFOLDER_INCOMPLETE_MS: intFrom(60_000),
  LIGHTBOX_ARCHIVE_AFTER_HOURS: numberFrom(168),
  LIGHTBOX_UNDECIDED_RETENTION_DAYS: numberFrom(30),
  LIGHTBOX_PREFERRED_AGENCIES: optionalString,
  LIGHTBOX_DUPLICATE_WINDOW_MS: intFrom(3000),
  LIGHTBOX_DUPLICATE_MAX_DISTANCE: intFrom(12),
  LIGHTBOX_WEBHOOKS: optionalString,
  LIGHTBOX_WEBHOOKS_FILE: optionalString,
  LIGHTBOX_WEBHOOK_TIMEOUT_MS: intFrom(10_000, 100),
  LIGHTBOX_WEBHOOK_RETRY_BASE_MS: intFrom(5000, 10),
  LIGHTBOX_MATCH_AUTO_THRESHOLD: numberFrom(0.6),
  LIGHTBOX_MATCH_REVIEW_THRESHOLD: numberFrom(0.3),
  LIGHTBOX_MATCH_SLACK_HOURS: numberFrom(6),
  LIGHTBOX_HOTFOLDER_POLL_MS: intFrom(500, 50),
  LIGHTBOX_HOTFOLDERS: optionalString,
  LIGHTBOX_HOTFOLDER_AFTER: z.preprocess(emptyToUndefined, z.enum(['move', 'delete']).default('move')),
  LIGHTBOX_HOTFOLDER_SIDECAR_WAIT_MS: intFrom(1000, 0),
  LIGHTBOX_S3_INBOXES: optionalString,
  LIGHTBOX_S3_INBOX_POLL_MS: intFrom(2000, 100),
  LIGHTBOX_RENDITIONS: optionalString,
  LIGHTBOX_RENDITIONS_FILE: optionalString,
  LIGHTBOX_WATERMARK: optionalString,
  LIGHTBOX_WATERMARK_FILE: optionalString,
  LIGHTBOX_FEED_RULES_FILE: optionalString,
  LIGHTBOX_C2PA_TRUST_ANCHORS: optionalString,
  LIGHTBOX_EXPIRY_SWEEP_SECONDS: intFrom(300, 1),
  LIGHTBOX_FEED_CHECK_SECONDS: intFrom(60, 1),
  LIGHTBOX_SETTINGS_POLL_MS: intFrom(2000, 50),
  LIGHTBOX_SHARP_THREADS: intFrom(1, 1),
  /** libvips' operation cache: off, as no render repeats an operation (overlays are cached in JS). */
  LIGHTBOX_SHARP_CACHE_MB: intFrom(0, 0),
});

/** Every environment variable Lightbox reads (the compose and k8s tests check against it). */
export const CONFIG_ENV_KEYS: readonly string[] = Object.keys(envSchema.shape);

/**
 * Per-stage concurrency from each stage's class in the pipeline table (contracts' `PIPELINE`): `cpu`
 * stages (render) run `LIGHTBOX_RENDER_CONCURRENCY` jobs, `io` stages (waiting on Redis and S3)
 * `LIGHTBOX_IO_CONCURRENCY`, story-wide ones one at a time. `LIGHTBOX_STAGE_CONCURRENCY=match=16,publish=2`
 * overrides single stages.
 */
function stageConcurrency(
  render: number,
  io: number,
  overrides: string | undefined,
): Record<StageName, number> {
  const result = concurrencyByClass({ cpu: render, io, one: 1 });
  for (const [stage, value] of parsePairs('LIGHTBOX_STAGE_CONCURRENCY', overrides)) {
    if (!(STAGES as readonly string[]).includes(stage))
      throw new ConfigError(
        `LIGHTBOX_STAGE_CONCURRENCY: unknown stage "${stage}" (stages: ${STAGES.join(', ')})`,
      );
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigError(`LIGHTBOX_STAGE_CONCURRENCY: ${stage}=${value} must be a whole number ≥ 1`);
    result[stage as StageName] = n;
  }
  return result;
}

/** `feed=value,feed2=value2` lists (hot folders, S3 inboxes). */
function parsePairs(name: string, value: string | undefined): [string, string][] {
  if (!value) return [];
  return value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((pair) => {
      const idx = pair.indexOf('=');
      const feed = pair.slice(0, idx).trim();
      const rest = pair.slice(idx + 1).trim();
      if (idx <= 0 || !rest) throw new ConfigError(`${name} entry "${pair}" must be feed=value`);
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(feed))
        throw new ConfigError(`${name} feed name "${feed}" may only use letters, digits, _ . -`);
      return [feed, rest];
    });
}

/** A JSON setting given inline (`NAME`) or as a file (`NAME_FILE`), validated by `schema`. */
function jsonSetting<T>(
  name: string,
  inline: string | undefined,
  file: string | undefined,
  schema: z.ZodType<T>,
): T | undefined {
  if (inline && file) throw new ConfigError(`Set ${name} or ${name}_FILE, not both`);
  let text = inline;
  const source = file ? `${name}_FILE (${file})` : name;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`Cannot read ${source}: ${(err as Error).message}`);
    }
  }
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${name}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`,
    );
    throw new ConfigError(`Invalid ${source}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Parses `LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS`: CIDR ranges (or single addresses) webhooks may reach. */
function parseAllowedNetworks(value: string | undefined): string[] {
  const list = parseTokenList(value);
  for (const cidr of list)
    if (!parseCidr(cidr))
      throw new ConfigError(
        `LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: "${cidr}" is not a CIDR range or address (e.g. 10.20.0.0/16, fd12::/48)`,
      );
  return list;
}

/** Names subscribers (`webhook-1`, … unless given an id) and defaults their events to the downstream ones. */
function webhookSubscribers(
  input: z.infer<typeof webhookSubscribersSchema>,
  allowedHosts: string[],
  allowedNetworks: string[],
): WebhookSubscriber[] {
  for (const w of input) {
    const problem = webhookTargetProblem(w.url, { allowedHosts, allowedNetworks });
    if (problem) throw new ConfigError(`LIGHTBOX_WEBHOOKS: ${w.url} refused: ${problem}`);
  }
  const out = input.map((w, i) => ({
    id: w.id ?? `webhook-${i + 1}`,
    url: w.url,
    secret: w.secret,
    events: w.events ?? [...DEFAULT_WEBHOOK_EVENTS],
  }));
  const ids = out.map((w) => w.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError(`LIGHTBOX_WEBHOOKS: subscriber id "${dup}" is used twice`);
  return out;
}

export interface LightboxConfig {
  dataDir: string;
  port: number;
  host: string;
  /** Unset means "start an embedded redis-server" (only `lightbox start` does that). */
  redisUrl?: string;
  /**
   * Where Redis is: `REDIS_URL`, or a Sentinel group (`REDIS_SENTINELS`, `REDIS_SENTINEL_NAME`).
   * Connections are made from it by `createRedis` (@lightbox/redis), the one place that decides
   * their settings. Unset like `redisUrl`.
   */
  redis?: RedisEndpoint;
  /**
   * Before an upload is answered, wait until `replicas` Redis replicas hold it (`WAIT`), at most
   * `timeoutMs`; 0 replicas turns it off. Skipped while the primary has no replica connected.
   */
  replicaAck: { replicas: number; timeoutMs: number };
  /** The reconciler: every `intervalMs` (0: only on demand), acceptances older than `graceMs`. */
  reconcile: { intervalMs: number; graceMs: number };
  /** Key prefix for Lightbox state and BullMQ queues. Use a hash tag such as `{lightbox}` for Redis Cluster. */
  redisPrefix: string;
  s3: {
    /** Unset means "run the embedded s3rver" (only `lightbox start` does that). */
    endpoint?: string;
    region: string;
    bucket: string;
    accessKeyId?: string;
    secretAccessKey?: string;
  };
  /** Base URL downstream sites fetch published objects from. Defaults to the path-style bucket URL. */
  publicBaseUrl?: string;
  feedKeys: FeedKey[];
  /** Editor tokens: read and act in the API and dashboard. `name:token` entries name the editor. */
  editorTokens: string[];
  /** Admin tokens: everything editors can, plus bull-board actions. */
  adminTokens: string[];
  /** Dashboard session lifetime. */
  sessionHours: number;
  /** Live dashboard streams (SSE) one session may hold open at once. */
  liveStreamsPerSession: number;
  /** When set, `/v1/galleries*` need one of these (or an editor/admin token); otherwise public. */
  galleryReadTokens: string[];
  /** Requests per minute per authenticated principal (and per client address without credentials). */
  rateLimitPerMinute: number;
  /** `POST /login` and requests with credentials that match nobody, per client address. */
  authRateLimitPerMinute: number;
  /** Anonymous reads of published galleries (and the example page), per client address. */
  publicRateLimitPerMinute: number;
  /**
   * Which proxies' `X-Forwarded-For` to believe for the client address (rate limits, logs):
   * `false` (none, the default), `true` (any), a hop count, or the proxies' addresses/CIDRs.
   */
  trustProxy: TrustProxy;
  /** A request (headers and body) must complete within this: slow-body attacks are cut off. */
  requestTimeoutMs: number;
  /** Workers serve `/metrics` on this port when set (the API serves it on its own port). */
  metricsPort?: number;
  /** Address the worker and ingest `/metrics` listeners bind to (`LIGHTBOX_METRICS_HOST`, else `HOST`). */
  metricsHost: string;
  /** When set, every `/metrics` (API, workers, ingest) needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Trace queue hops with OpenTelemetry (bullmq-otel). */
  otelTracing: boolean;
  /** Raw `QUEUES` value; parse with `parseStageList` from @lightbox/contracts. */
  queues?: string;
  logLevel: string;
  limits: { maxUploadBytes: number; maxInputPixels: number };
  /** Jobs one worker process runs at once, per stage. */
  concurrency: Record<StageName, number>;
  /** Wait before a story's first publish after a quiet spell (lets a burst gather). */
  publishDelayMs: number;
  /** Least time between two publishes of one story: bursts coalesce into one write per interval. */
  publishSpacingMs: number;
  /**
   * Feeds (per gallery and of all galleries) and the gallery index are rewritten at most this often
   * while photos arrive; manifests at once, take-downs at once everywhere. 0: with every publish.
   */
  feedRefreshMs: number;
  /** Hours after a story's end when it closes by itself; 0 never. */
  storyAutoCloseHours: number;
  /** Hours after a story closes when its state moves from Redis to S3; 0 never. */
  archiveAfterHours: number;
  /** Days unmatched, review and rejected photos stay in Redis before moving to S3; 0 forever. */
  undecidedRetentionDays: number;
  galleries: {
    /** Agencies whose frame is shown when several agencies sent the same moment, most preferred first. */
    preferredAgencies: string[];
    /** Frames this close in time (and alike) are near-duplicates. */
    duplicateWindowMs: number;
    /** Perceptual-hash distance (of 64 bits) up to which frames count as alike. */
    duplicateMaxDistance: number;
  };
  /**
   * Subscribers; each POST times out after `timeoutMs`; retries back off exponentially from
   * `retryBaseMs`. `allowedNetworks`: internal ranges webhooks may reach (all others special ranges
   * are refused, at load and after DNS at every delivery).
   */
  webhooks: {
    subscribers: WebhookSubscriber[];
    timeoutMs: number;
    retryBaseMs: number;
    allowedNetworks: string[];
    /** Host names webhooks may go to (`LIGHTBOX_WEBHOOK_ALLOWED_HOSTS`); empty: any public host. */
    allowedHosts: string[];
  };
  matching: { autoThreshold: number; reviewThreshold: number; slackHours: number };
  hotFolderPollMs: number;
  /** A hot-folder file is taken once its size and time stayed the same this long. */
  hotFolderQuietMs: number;
  /** A file that stays incomplete (no end-of-image marker) this long goes to `_error/`. */
  hotFolderIncompleteMs: number;
  /** Feeds that share ownership of their pictures (`LIGHTBOX_FEED_GROUPS`: `group:feed,feed;…`). */
  feedGroups: ReadonlyMap<string, string>;
  /** Drop folders: `$LIGHTBOX_DATA_DIR/inbox` (feed "hotfolder") plus `LIGHTBOX_HOTFOLDERS` (`feed=path,…`). */
  hotFolders: { feed: string; dir: string }[];
  /** What happens to a file after a successful hand-off. */
  hotFolderAfter: 'move' | 'delete';
  /** How long an image without a NewsML sidecar waits for one to arrive. */
  sidecarWaitMs: number;
  /** S3 inboxes (`LIGHTBOX_S3_INBOXES`: `feed=bucket/prefix,…`) polled for new objects. */
  s3Inboxes: { feed: string; bucket: string; prefix: string }[];
  s3InboxPollMs: number;
  /** The rendition set (default: large, medium, medium-webp, thumb). */
  renditions: RenditionSpec[];
  /**
   * Watermark defaults and per-feed/agency rules (each feed's `watermark` from the rules file first);
   * undefined means the built-in default style.
   */
  watermark?: WatermarkConfig;
  sharp: { threadsPerImage: number; cacheMemoryMb: number };
  /** Per-feed rules (`LIGHTBOX_FEED_RULES_FILE`, YAML or JSON; docs/feed-rules.md). */
  feedRules?: FeedRulesFile;
  /** PEM files of the CAs whose C2PA signers are trusted (`LIGHTBOX_C2PA_TRUST_ANCHORS`), absolute paths. */
  c2paTrustAnchors: string[];
  /** How often the expiry sweep runs (ms). */
  expirySweepMs: number;
  /** How often the feed health check judges every feed (ms). */
  feedCheckMs: number;
  /** How often running processes look for changed runtime settings (webhooks, S3 inboxes), ms. */
  settingsPollMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates the environment into a typed config. Pure apart from resolving the data dir against cwd. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LightboxConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid Lightbox configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.LIGHTBOX_MATCH_REVIEW_THRESHOLD > e.LIGHTBOX_MATCH_AUTO_THRESHOLD) {
    throw new ConfigError('LIGHTBOX_MATCH_REVIEW_THRESHOLD must not exceed LIGHTBOX_MATCH_AUTO_THRESHOLD');
  }
  const allowedNetworks = parseAllowedNetworks(e.LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS);
  let feedKeys: FeedKey[];
  let feedGroups: Map<string, string>;
  try {
    feedKeys = parseFeedKeys(e.LIGHTBOX_FEED_KEYS);
    feedGroups = parseFeedGroups(e.LIGHTBOX_FEED_GROUPS);
  } catch (err) {
    throw new ConfigError(`${(err as Error).message} (LIGHTBOX_FEED_KEYS / LIGHTBOX_FEED_GROUPS)`);
  }
  const feedRules = feedRulesFile(e.LIGHTBOX_FEED_RULES_FILE);
  return {
    dataDir: resolve(e.LIGHTBOX_DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    redis: redisEndpoint(e),
    replicaAck: { replicas: e.LIGHTBOX_REDIS_WAIT_REPLICAS, timeoutMs: e.LIGHTBOX_REDIS_WAIT_MS },
    reconcile: {
      intervalMs: e.LIGHTBOX_RECONCILE_INTERVAL_S * 1000,
      graceMs: e.LIGHTBOX_RECONCILE_GRACE_S * 1000,
    },
    redisPrefix: e.LIGHTBOX_REDIS_PREFIX,
    s3: {
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
    },
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    feedKeys,
    editorTokens: parseTokenList(e.LIGHTBOX_EDITOR_TOKENS),
    adminTokens: parseTokenList(e.LIGHTBOX_ADMIN_TOKENS),
    sessionHours: e.LIGHTBOX_SESSION_HOURS,
    liveStreamsPerSession: e.LIGHTBOX_SSE_STREAMS_PER_SESSION,
    galleryReadTokens: parseTokenList(e.LIGHTBOX_GALLERY_READ_TOKENS),
    rateLimitPerMinute: e.LIGHTBOX_RATE_LIMIT_PER_MINUTE,
    authRateLimitPerMinute: e.LIGHTBOX_AUTH_RATE_LIMIT_PER_MINUTE,
    publicRateLimitPerMinute: e.LIGHTBOX_PUBLIC_RATE_LIMIT_PER_MINUTE,
    trustProxy: parseTrustProxy(e.LIGHTBOX_TRUST_PROXY),
    requestTimeoutMs: e.LIGHTBOX_REQUEST_TIMEOUT_MS,
    metricsPort: e.LIGHTBOX_METRICS_PORT,
    metricsHost: e.LIGHTBOX_METRICS_HOST ?? e.HOST,
    metricsToken: e.LIGHTBOX_METRICS_TOKEN,
    otelTracing: e.LIGHTBOX_OTEL_TRACING === 'true',
    queues: e.QUEUES,
    logLevel: e.LOG_LEVEL,
    limits: { maxUploadBytes: e.LIGHTBOX_MAX_UPLOAD_BYTES, maxInputPixels: e.LIGHTBOX_MAX_INPUT_PIXELS },
    concurrency: stageConcurrency(
      e.LIGHTBOX_RENDER_CONCURRENCY,
      e.LIGHTBOX_IO_CONCURRENCY,
      e.LIGHTBOX_STAGE_CONCURRENCY,
    ),
    publishDelayMs: e.LIGHTBOX_PUBLISH_DELAY_MS,
    publishSpacingMs: e.LIGHTBOX_PUBLISH_SPACING_MS,
    feedRefreshMs: e.LIGHTBOX_FEED_REFRESH_MS,
    storyAutoCloseHours: e.LIGHTBOX_STORY_AUTO_CLOSE_HOURS,
    archiveAfterHours: e.LIGHTBOX_ARCHIVE_AFTER_HOURS,
    undecidedRetentionDays: e.LIGHTBOX_UNDECIDED_RETENTION_DAYS,
    galleries: {
      preferredAgencies: parseTokenList(e.LIGHTBOX_PREFERRED_AGENCIES),
      duplicateWindowMs: e.LIGHTBOX_DUPLICATE_WINDOW_MS,
      duplicateMaxDistance: e.LIGHTBOX_DUPLICATE_MAX_DISTANCE,
    },
    webhooks: {
      subscribers: webhookSubscribers(
        jsonSetting(
          'LIGHTBOX_WEBHOOKS',
          e.LIGHTBOX_WEBHOOKS,
          e.LIGHTBOX_WEBHOOKS_FILE,
          webhookSubscribersSchema,
        ) ?? [],
        parseTokenList(e.LIGHTBOX_WEBHOOK_ALLOWED_HOSTS),
        allowedNetworks,
      ),
      allowedNetworks,
      allowedHosts: parseTokenList(e.LIGHTBOX_WEBHOOK_ALLOWED_HOSTS),
      timeoutMs: e.LIGHTBOX_WEBHOOK_TIMEOUT_MS,
      retryBaseMs: e.LIGHTBOX_WEBHOOK_RETRY_BASE_MS,
    },
    matching: {
      autoThreshold: e.LIGHTBOX_MATCH_AUTO_THRESHOLD,
      reviewThreshold: e.LIGHTBOX_MATCH_REVIEW_THRESHOLD,
      slackHours: e.LIGHTBOX_MATCH_SLACK_HOURS,
    },
    hotFolderPollMs: e.LIGHTBOX_HOTFOLDER_POLL_MS,
    hotFolderQuietMs: e.LIGHTBOX_HOTFOLDER_QUIET_MS,
    hotFolderIncompleteMs: e.LIGHTBOX_HOTFOLDER_INCOMPLETE_MS,
    feedGroups,
    hotFolders: [
      { feed: 'hotfolder', dir: resolve(e.LIGHTBOX_DATA_DIR, 'inbox') },
      ...parsePairs('LIGHTBOX_HOTFOLDERS', e.LIGHTBOX_HOTFOLDERS).map(([feed, dir]) => ({
        feed,
        dir: resolve(dir),
      })),
    ],
    hotFolderAfter: e.LIGHTBOX_HOTFOLDER_AFTER,
    sidecarWaitMs: e.LIGHTBOX_HOTFOLDER_SIDECAR_WAIT_MS,
    s3Inboxes: parsePairs('LIGHTBOX_S3_INBOXES', e.LIGHTBOX_S3_INBOXES).map(([feed, location]) => {
      const [bucket, ...rest] = location.split('/');
      const prefix = rest.join('/');
      if (!bucket) throw new ConfigError(`LIGHTBOX_S3_INBOXES entry for ${feed} needs bucket/prefix`);
      return { feed, bucket, prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix };
    }),
    s3InboxPollMs: e.LIGHTBOX_S3_INBOX_POLL_MS,
    renditions:
      jsonSetting(
        'LIGHTBOX_RENDITIONS',
        e.LIGHTBOX_RENDITIONS,
        e.LIGHTBOX_RENDITIONS_FILE,
        renditionSetSchema,
      ) ?? DEFAULT_RENDITION_SET,
    // Each feed's watermark from the rules file, as a rule ahead of the configured ones.
    watermark: feedWatermarkConfig(
      feedRules,
      jsonSetting(
        'LIGHTBOX_WATERMARK',
        e.LIGHTBOX_WATERMARK,
        e.LIGHTBOX_WATERMARK_FILE,
        watermarkConfigSchema,
      ),
    ),
    sharp: { threadsPerImage: e.LIGHTBOX_SHARP_THREADS, cacheMemoryMb: e.LIGHTBOX_SHARP_CACHE_MB },
    feedRules,
    c2paTrustAnchors: parseTokenList(e.LIGHTBOX_C2PA_TRUST_ANCHORS).map((p) => resolve(p)),
    expirySweepMs: e.LIGHTBOX_EXPIRY_SWEEP_SECONDS * 1000,
    feedCheckMs: e.LIGHTBOX_FEED_CHECK_SECONDS * 1000,
    settingsPollMs: e.LIGHTBOX_SETTINGS_POLL_MS,
  };
}

/** `REDIS_URL`, or the Sentinel group of `REDIS_SENTINELS` + `REDIS_SENTINEL_NAME`; never both. */
function redisEndpoint(e: z.infer<typeof envSchema>): RedisEndpoint | undefined {
  const sentinels = e.REDIS_SENTINELS;
  const name = e.REDIS_SENTINEL_NAME;
  if (e.REDIS_URL && (sentinels || name))
    throw new ConfigError('Set REDIS_URL or REDIS_SENTINELS, not both (docs/operations.md: Sentinel)');
  if (!sentinels && !name) return e.REDIS_URL;
  if (!name) throw new ConfigError('REDIS_SENTINELS needs REDIS_SENTINEL_NAME (the name Sentinel monitors)');
  if (!sentinels) throw new ConfigError('REDIS_SENTINEL_NAME needs REDIS_SENTINELS (host:port,host:port)');
  let list: { host: string; port: number }[];
  try {
    list = parseSentinelList(sentinels);
  } catch (err) {
    throw new ConfigError(`REDIS_SENTINELS: ${(err as Error).message}`);
  }
  return {
    sentinels: list,
    name,
    ...(e.REDIS_PASSWORD ? { password: e.REDIS_PASSWORD } : {}),
    ...(e.REDIS_USERNAME ? { username: e.REDIS_USERNAME } : {}),
    ...(e.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: e.REDIS_SENTINEL_PASSWORD } : {}),
  };
}

/** Reads and validates the per-feed rules file; a bad one stops start-up naming its lines. */
function feedRulesFile(file: string | undefined): FeedRulesFile | undefined {
  if (!file) return undefined;
  const source = `LIGHTBOX_FEED_RULES_FILE (${file})`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read ${source}: ${(err as Error).message}`);
  }
  try {
    return parseFeedRules(text, source);
  } catch (err) {
    if (err instanceof FeedRulesError) throw new ConfigError(err.message);
    throw err;
  }
}

/** True for addresses only this machine reaches (`127.0.0.0/8`, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A warning when `/metrics` would answer anyone who can reach `host`, or undefined. */
export function openMetricsWarning(host: string, token: string | undefined): string | undefined {
  return token || isLoopbackHost(host)
    ? undefined
    : `/metrics on ${host} answers anyone who can reach it: set LIGHTBOX_METRICS_TOKEN (scrapers send it as a bearer token)`;
}

/** A config whose Redis and S3 are known. */
export type ConnectedConfig = LightboxConfig & {
  redis: RedisEndpoint;
  s3: LightboxConfig['s3'] & { endpoint: string };
};

/** The config a running service needs: Redis and S3 must be known (the CLI supplies embedded ones). */
export function requireConnections(config: LightboxConfig): ConnectedConfig {
  if (!config.redis)
    throw new ConfigError(
      'REDIS_URL or REDIS_SENTINELS is not set (run via `lightbox start` to get an embedded Redis)',
    );
  if (!config.s3.endpoint)
    throw new ConfigError('S3_ENDPOINT is not set (run via `lightbox start` to get an embedded S3)');
  return config as ConnectedConfig;
}
