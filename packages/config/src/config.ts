import { resolve } from 'node:path';
import {
  DEFAULT_RENDITION_SET,
  type RenditionSpec,
  renditionSetSchema,
  type StageName,
  type WatermarkConfig,
  type WebhookSubscriber,
  watermarkConfigSchema,
} from '@lightbox/contracts';
import { type FeedRulesFile, feedWatermarkConfig } from '@lightbox/feed-rules';
import { parseFeedGroups } from '@lightbox/lifecycle';
import type { RedisEndpoint } from '@lightbox/redis/endpoint';
import { z } from 'zod';
import {
  ConfigError,
  emptyToUndefined,
  intFrom,
  jsonSetting,
  optionalString,
  parsePairs,
  parseTokenList,
} from './env-values.js';
import { type FeedKey, feedRulesFile, feedsEnv, parseFeedKeys } from './feeds-config.js';
import { httpEnv, parseTrustProxy, type TrustProxy } from './http-config.js';
import { pipelineEnv, stageConcurrency } from './pipeline-config.js';
import { redisEndpoint, redisEnv } from './redis-config.js';
import { renderEnv } from './render-config.js';
import { storageEnv } from './storage-config.js';
import { parseAllowedNetworks, webhooksConfig, webhooksEnv } from './webhooks-config.js';

export { ConfigError, parseTokenList } from './env-values.js';
export { type FeedKey, parseFeedKeys } from './feeds-config.js';
export { isLoopbackHost, openMetricsWarning, parseTrustProxy, type TrustProxy } from './http-config.js';

/** Every setting, by area (each area's file reads its own). */
const envSchema = z.object({
  LIGHTBOX_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  ...httpEnv.shape,
  ...redisEnv.shape,
  ...storageEnv.shape,
  ...feedsEnv.shape,
  ...webhooksEnv.shape,
  ...renderEnv.shape,
  ...pipelineEnv.shape,
  QUEUES: optionalString,
  /** Read by the logger: `json` (default off a terminal) or `pretty`. */
  /** OpenTelemetry tracing of every queue hop (bullmq-otel); needs an OpenTelemetry SDK in the process. */
  LIGHTBOX_OTEL_TRACING: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LIGHTBOX_SETTINGS_POLL_MS: intFrom(2000, 50),
});

/** Every environment variable Lightbox reads (the compose and k8s tests check against it). */
export const CONFIG_ENV_KEYS: readonly string[] = Object.keys(envSchema.shape);

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
    webhooks: webhooksConfig(e, allowedNetworks),
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
