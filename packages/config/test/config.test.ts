import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadConfig,
  loadOrCreateCredentials,
  parseFeedKeys,
  requireConnections,
} from '../src/index.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      redisPrefix: 'lightbox',
      s3: { bucket: 'lightbox', region: 'us-east-1' },
      feedKeys: [],
      editorTokens: [],
      limits: { maxUploadBytes: 50 * 1024 * 1024, maxInputPixels: 100_000_000 },
    });
    expect(c.dataDir).toBe(join(process.cwd(), 'data'));
    expect(c.redisUrl).toBeUndefined();
  });

  it('reads the contract variables', () => {
    const c = loadConfig({
      LIGHTBOX_DATA_DIR: '/srv/lightbox',
      PORT: '9000',
      REDIS_URL: 'redis://r:6379',
      S3_ENDPOINT: 'http://minio:9000',
      S3_BUCKET: 'photos',
      PUBLIC_BASE_URL: 'https://cdn.example.com/',
      LIGHTBOX_FEED_KEYS: 'ap:k1, reuters:k2',
      LIGHTBOX_EDITOR_TOKENS: 't1,t2',
    });
    expect(c).toMatchObject({
      dataDir: '/srv/lightbox',
      port: 9000,
      redisUrl: 'redis://r:6379',
      s3: { endpoint: 'http://minio:9000', bucket: 'photos' },
      publicBaseUrl: 'https://cdn.example.com',
      feedKeys: [
        { feed: 'ap', key: 'k1' },
        { feed: 'reuters', key: 'k2' },
      ],
      editorTokens: ['t1', 't2'],
    });
    expect(requireConnections(c).redisUrl).toBe('redis://r:6379');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: '' })).toMatchObject({ redisUrl: undefined, port: 8080 });
  });

  it('lists every bad variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
    expect(() =>
      loadConfig({ LIGHTBOX_MATCH_REVIEW_THRESHOLD: '0.9', LIGHTBOX_MATCH_AUTO_THRESHOLD: '0.5' }),
    ).toThrow(ConfigError);
  });

  it('sizes concurrency per stage: render from cores, I/O stages wide, story-wide stages one at a time', () => {
    const c = loadConfig({ LIGHTBOX_RENDER_CONCURRENCY: '3', LIGHTBOX_IO_CONCURRENCY: '10' }).concurrency;
    expect(c).toEqual({
      ingest: 10,
      render: 3,
      match: 10,
      publish: 10,
      takedown: 10,
      release: 10,
      backfill: 1,
      index: 1,
      close: 1,
      webhook: 10,
      archive: 1,
    });
    expect(loadConfig({ LIGHTBOX_STAGE_CONCURRENCY: 'match=16, publish=2' }).concurrency).toMatchObject({
      match: 16,
      publish: 2,
      backfill: 1,
    });
    expect(() => loadConfig({ LIGHTBOX_STAGE_CONCURRENCY: 'rendr=2' })).toThrow(/unknown stage "rendr"/);
    expect(() => loadConfig({ LIGHTBOX_STAGE_CONCURRENCY: 'render=0' })).toThrow(/whole number/);
    expect(() => loadConfig({ LIGHTBOX_STAGE_CONCURRENCY: 'render' })).toThrow(/must be/);
  });

  it('reads feed groups: feeds of one agency share their pictures', () => {
    const groups = loadConfig({ LIGHTBOX_FEED_GROUPS: 'ap: ap-http, ap-ftp; afp:afp-ftp' }).feedGroups;
    expect([...groups]).toEqual([
      ['ap-http', 'ap'],
      ['ap-ftp', 'ap'],
      ['afp-ftp', 'afp'],
    ]);
    expect(() => loadConfig({ LIGHTBOX_FEED_GROUPS: 'ap:x;rtr:x' })).toThrow(/in two groups/);
    expect(() => loadConfig({ LIGHTBOX_FEED_GROUPS: 'nogroup' })).toThrow(/group:feed/);
  });

  it('reads C2PA trust anchors (absolute paths) and the expiry sweep interval', () => {
    const c = loadConfig({
      LIGHTBOX_C2PA_TRUST_ANCHORS: '/etc/lightbox/c2pa/agencies.pem, conformance.pem',
      LIGHTBOX_EXPIRY_SWEEP_SECONDS: '60',
    });
    expect(c.c2paTrustAnchors).toEqual(['/etc/lightbox/c2pa/agencies.pem', resolve('conformance.pem')]);
    expect(c.expirySweepMs).toBe(60_000);
    expect(loadConfig({})).toMatchObject({ c2paTrustAnchors: [], expirySweepMs: 300_000 });
    expect(() => loadConfig({ LIGHTBOX_EXPIRY_SWEEP_SECONDS: '0' })).toThrow(/LIGHTBOX_EXPIRY_SWEEP_SECONDS/);
  });

  it('requires connections for services', () => {
    expect(() => requireConnections(loadConfig({}))).toThrow(/REDIS_URL/);
  });
});

describe('Redis: one URL, or a Sentinel group', () => {
  it('REDIS_URL gives a URL endpoint', () => {
    expect(
      requireConnections(loadConfig({ REDIS_URL: 'redis://r:6379', S3_ENDPOINT: 'http://s3' })).redis,
    ).toBe('redis://r:6379');
  });

  it('REDIS_SENTINELS and REDIS_SENTINEL_NAME give a Sentinel group, with its passwords', () => {
    const c = loadConfig({
      REDIS_SENTINELS: 'sentinel-1:26379,sentinel-2:26379, sentinel-3:26379',
      REDIS_SENTINEL_NAME: 'lightbox',
      REDIS_PASSWORD: 'primary-secret',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      S3_ENDPOINT: 'http://s3',
    });
    expect(c.redis).toEqual({
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: 'sentinel-2', port: 26379 },
        { host: 'sentinel-3', port: 26379 },
      ],
      name: 'lightbox',
      password: 'primary-secret',
      sentinelPassword: 'sentinel-secret',
    });
    expect(requireConnections(c).redis).toEqual(c.redis);
  });

  it('refuses half a Sentinel setting, a bad list, or both kinds at once', () => {
    expect(() => loadConfig({ REDIS_SENTINELS: 's1:26379' })).toThrow(/REDIS_SENTINEL_NAME/);
    expect(() => loadConfig({ REDIS_SENTINEL_NAME: 'lightbox' })).toThrow(/REDIS_SENTINELS/);
    expect(() => loadConfig({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'g' })).toThrow(
      /REDIS_SENTINELS: "s1" is not host:port/,
    );
    expect(() =>
      loadConfig({ REDIS_URL: 'redis://r', REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'g' }),
    ).toThrow(/REDIS_URL or REDIS_SENTINELS, not both/);
    expect(() => requireConnections(loadConfig({ S3_ENDPOINT: 'http://s3' }))).toThrow(
      /REDIS_URL or REDIS_SENTINELS/,
    );
  });

  it('durability settings: replica acknowledgement and the reconciler', () => {
    expect(loadConfig({})).toMatchObject({
      replicaAck: { replicas: 1, timeoutMs: 500 },
      reconcile: { intervalMs: 300_000, graceMs: 60_000 },
    });
    expect(
      loadConfig({
        LIGHTBOX_REDIS_WAIT_REPLICAS: '0',
        LIGHTBOX_REDIS_WAIT_MS: '2000',
        LIGHTBOX_RECONCILE_INTERVAL_S: '0',
        LIGHTBOX_RECONCILE_GRACE_S: '15',
      }),
    ).toMatchObject({
      replicaAck: { replicas: 0, timeoutMs: 2000 },
      reconcile: { intervalMs: 0, graceMs: 15_000 },
    });
  });
});

describe('parseFeedKeys', () => {
  it('rejects malformed pairs without echoing the key', () => {
    expect(() => parseFeedKeys('ap')).toThrow(/feed:key/);
    expect(() => parseFeedKeys('a p:secret')).toThrow(/letters, digits/);
    try {
      parseFeedKeys('bad:');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});

describe('loadOrCreateCredentials', () => {
  it('generates once with private permissions, then reuses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-cred-'));
    const first = await loadOrCreateCredentials(dir);
    expect(first.created).toBe(true);
    expect(first.credentials.feedKeys[0]?.key).toMatch(/^feed_/);
    expect(first.credentials.editorTokens[0]).toMatch(/^editor_/);
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateCredentials(dir);
    expect(second.created).toBe(false);
    expect(second.credentials).toEqual(JSON.parse(await readFile(first.path, 'utf8')));
  });

  it('generates an embedded S3 key pair of its own, never a well-known one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-cred-'));
    const { credentials } = await loadOrCreateCredentials(dir);
    expect(credentials.s3AccessKeyId).not.toBe('S3RVER');
    expect(credentials.s3SecretAccessKey.length).toBeGreaterThanOrEqual(32);
  });

  it('replaces the public S3RVER key pair of a file written by an earlier release, keeping the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-cred-'));
    const earlier = {
      feedKeys: [{ feed: 'wire', key: 'feed_kept' }],
      editorTokens: ['editor_kept'],
      adminTokens: ['admin_kept'],
      s3AccessKeyId: 'S3RVER',
      s3SecretAccessKey: 'S3RVER',
    };
    await writeFile(join(dir, 'credentials.json'), JSON.stringify(earlier), { mode: 0o600 });
    const { credentials, path } = await loadOrCreateCredentials(dir);
    expect(credentials).toMatchObject({ feedKeys: earlier.feedKeys, editorTokens: ['editor_kept'] });
    expect(credentials.s3SecretAccessKey).not.toBe('S3RVER');
    expect(JSON.parse(await readFile(path, 'utf8')).s3SecretAccessKey).toBe(credentials.s3SecretAccessKey);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('renditions and watermark settings', () => {
  it('defaults to large, medium, medium-webp and thumb', () => {
    expect(
      loadConfig({}).renditions.map((r) => [r.name, r.longEdge, r.format, r.quality, r.watermark]),
    ).toEqual([
      ['large', 2048, 'jpeg', 82, true],
      ['medium', 1024, 'jpeg', 80, true],
      ['medium-webp', 1024, 'webp', 75, true],
      ['thumb', 320, 'jpeg', 70, false],
    ]);
    expect(loadConfig({}).watermark).toBeUndefined();
  });

  it('reads a custom set inline or from a file, and watermark rules', async () => {
    const set = [
      { name: 'og', box: { width: 1200, height: 630 }, format: 'jpeg', quality: 80, watermark: false },
    ];
    expect(loadConfig({ LIGHTBOX_RENDITIONS: JSON.stringify(set) }).renditions).toEqual(set);
    const dir = await mkdtemp(join(tmpdir(), 'lb-cfg-'));
    const file = join(dir, 'renditions.json');
    await writeFile(file, JSON.stringify(set));
    expect(loadConfig({ LIGHTBOX_RENDITIONS_FILE: file }).renditions).toEqual(set);
    const wm = { default: { opacity: 0.5 }, rules: [{ match: { agency: 'Getty Images' }, enabled: false }] };
    expect(loadConfig({ LIGHTBOX_WATERMARK: JSON.stringify(wm) }).watermark).toEqual(wm);
  });

  it('explains bad settings', () => {
    expect(() =>
      loadConfig({ LIGHTBOX_RENDITIONS: '[{"name":"x","format":"gif","quality":80,"watermark":false}]' }),
    ).toThrow(/LIGHTBOX_RENDITIONS\.0\.format/);
    expect(() =>
      loadConfig({
        LIGHTBOX_RENDITIONS:
          '[{"name":"x","longEdge":100,"box":{"width":1,"height":1},"format":"jpeg","quality":80,"watermark":false}]',
      }),
    ).toThrow(/exactly one of longEdge or box/);
    expect(() => loadConfig({ LIGHTBOX_RENDITIONS: 'not json' })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ LIGHTBOX_RENDITIONS_FILE: '/nonexistent.json' })).toThrow(
      /Cannot read LIGHTBOX_RENDITIONS_FILE/,
    );
    expect(() => loadConfig({ LIGHTBOX_WATERMARK: '{"rules":[{"match":{"colour":"red"}}]}' })).toThrow(
      /LIGHTBOX_WATERMARK/,
    );
  });
});
