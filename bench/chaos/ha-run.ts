/**
 * `npm run chaos:ha [-- --photos N] [--keep]`: Lightbox across several hosts on this machine
 * (network namespaces, root only) while Redis fails over and a worker host is cut off. See
 * docs/reliability.md.
 *
 * Hosts: a Redis primary and a replica, three Sentinels, the S3 server, the API (with the hot-folder
 * service) and two worker hosts, every Lightbox process connecting through Sentinel. Pushes N photos
 * for 5 stories at a steady rate over HTTP and through the hot folder, plus 20 exact duplicates and
 * 10 corrections. Meanwhile it SIGKILLs the Redis primary (the Sentinels promote the replica; the
 * old primary comes back 10 s later and rejoins as a replica), then cuts one worker host off from
 * every Redis node for 20 s and heals it. Then it waits for the pipeline to drain and checks every
 * accepted photo. Writes bench/results/chaos-ha.json; exits 1 when anything was lost or duplicated
 * or the pipeline did not drain.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PUBLIC_OBJECT_PREFIXES } from '@lightbox/contracts';
import {
  type EmbeddedRedis,
  type EmbeddedSentinel,
  generateS3KeyPair,
  Supervisor,
  startRedisSentinel,
  startRedisServer,
  startS3rver,
  waitFor,
  whichRedisSentinel,
  whichRedisServer,
} from '@lightbox/embedded';
import { createRedis } from '@lightbox/redis';
import { REPO_ROOT, tempDir } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { apiClient, serviceEntry } from '../support/local-stack.js';
import { createNetwork, namespacesUnavailable } from '../support/netns.js';
import {
  type ChaosTarget,
  CORRECTIONS,
  countOutcomes,
  createStories,
  DUPLICATES,
  plan,
  pushLoad,
  runClock,
  STORIES,
  say,
  sleep,
  waitDrained,
} from './wire-load.js';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '500' },
    keep: { type: 'boolean', default: false },
    // 0: answer without waiting for the replica (WAIT off), leaving more for the reconciler.
    'replica-acks': { type: 'string', default: '1' },
  },
});
const PHOTOS = Math.max(20, Number(values.photos));
const RATE = Math.max(2, PHOTOS / 100); // photos per second: 500 over ~100 s
const GROUP = 'lightbox';
const PARTITION_MS = 20_000;
const PRIMARY_BACK_AFTER_MS = 10_000;

const at = runClock();
const seconds = (ms: number | undefined) => (ms === undefined ? null : Number((ms / 1000).toFixed(1)));

async function main(): Promise<number> {
  const unavailable = namespacesUnavailable();
  if (unavailable) {
    say(
      `chaos:ha ${unavailable.skip ? 'skipped' : 'cannot run'}: ${unavailable.why}. It runs one host per network namespace.`,
    );
    return unavailable.skip ? 0 : 1;
  }
  const redisBin = whichRedisServer();
  const sentinelBin = whichRedisSentinel();
  if (!redisBin || !sentinelBin) {
    say('chaos:ha needs redis-server and redis-sentinel: apt-get install -y redis-server redis-sentinel');
    return 1;
  }
  const net = createNetwork('lbha', '10.77.0', {
    redis1: 11,
    redis2: 12,
    sentinel1: 21,
    sentinel2: 22,
    sentinel3: 23,
    s3: 30,
    api: 40,
    worker1: 51,
    worker2: 52,
  });
  const h = net.hosts;
  const data = await tempDir('lightbox-ha-');
  // Redis off loopback needs a password (protected mode); as in production.
  const redisPassword = randomBytes(18).toString('base64url');
  // The supervisor `lightbox start` uses: a service that exits is started again.
  const supervisor = new Supervisor({ output: 'capture', restartDelayMs: () => 500 });
  const sentinels: EmbeddedSentinel[] = [];
  const redises: EmbeddedRedis[] = [];
  let s3: Awaited<ReturnType<typeof startS3rver>> | undefined;
  const cleanup = async () => {
    await supervisor.stopAll();
    await Promise.all(sentinels.map((s) => s.stop()));
    await Promise.all(redises.map((r) => r.stop()));
    await s3?.stop();
    net.destroy();
    if (!values.keep) await data.remove();
    else say(`data kept in ${data.path}`);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanup().then(() => process.exit(130)));
  try {
    return await run();
  } finally {
    await cleanup();
  }

  async function run(): Promise<number> {
    // ------------------------------------------------------------ hosts
    const redisOn = (host: typeof h.redis1, replicaOf?: { host: string; port: number }) =>
      startRedisServer({
        dataDir: join(data.path, host.name),
        bin: redisBin,
        port: 6379,
        bind: host.ip,
        launcher: host.launcher,
        password: redisPassword,
        ...(replicaOf ? { replicaOf } : {}),
      });
    const primary = await redisOn(h.redis1);
    redises.push(primary, await redisOn(h.redis2, { host: h.redis1.ip, port: 6379 }));
    for (const host of [h.sentinel1, h.sentinel2, h.sentinel3])
      sentinels.push(
        await startRedisSentinel({
          dataDir: join(data.path, host.name),
          bin: sentinelBin,
          port: 26379,
          bind: host.ip,
          monitor: { name: GROUP, host: h.redis1.ip, port: 6379 },
          quorum: 2,
          downAfterMs: 2000,
          failoverTimeoutMs: 10_000,
          authPass: redisPassword,
          launcher: host.launcher,
        }),
      );
    const sentinel = new Redis({ host: h.sentinel1.ip, port: 26379, lazyConnect: true });
    sentinel.on('error', () => {});
    const primaryAddress = async () =>
      ((await sentinel.call('SENTINEL', 'get-master-addr-by-name', GROUP)) as string[] | null)?.[0];
    // A failover needs the Sentinels to know the replica and each other (they meet every 2 s).
    await waitFor(
      async () =>
        ((await sentinel.call('SENTINEL', 'replicas', GROUP)) as unknown[]).length === 1 &&
        ((await sentinel.call('SENTINEL', 'sentinels', GROUP)) as unknown[]).length === 2,
      { what: 'the Sentinels to know the replica and each other', timeoutMs: 60_000, intervalMs: 250 },
    );
    s3 = await startS3rver({
      dataDir: join(data.path, 's3'),
      bucket: 'lightbox',
      port: 9000,
      host: h.s3.ip,
      credentials: generateS3KeyPair(),
      publicReadPrefixes: [...PUBLIC_OBJECT_PREFIXES],
      launcher: h.s3.launcher,
    });
    const inbox = join(data.path, 'inbox');
    await mkdir(inbox, { recursive: true });
    const feedKey = `feed_${Math.random().toString(36).slice(2)}`;
    const editorToken = `editor_${Math.random().toString(36).slice(2)}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LIGHTBOX_DATA_DIR: data.path,
      REDIS_SENTINELS: [h.sentinel1, h.sentinel2, h.sentinel3].map((s) => `${s.ip}:26379`).join(','),
      REDIS_SENTINEL_NAME: GROUP,
      REDIS_PASSWORD: redisPassword,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      LIGHTBOX_FEED_KEYS: `bench:${feedKey}`,
      LIGHTBOX_EDITOR_TOKENS: `bench:${editorToken}`,
      LIGHTBOX_RATE_LIMIT_PER_MINUTE: '1000000',
      LIGHTBOX_RENDER_CONCURRENCY: '2',
      // Acceptances a failover lost are replayed 15 s after the new primary answers.
      LIGHTBOX_RECONCILE_GRACE_S: '15',
      LIGHTBOX_RECONCILE_INTERVAL_S: '60',
      LIGHTBOX_REDIS_WAIT_REPLICAS: values['replica-acks'],
      LOG_LEVEL: 'warn',
      MALLOC_ARENA_MAX: '2',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const service = (name: string, pkg: string, host: typeof h.api) =>
      supervisor.start({
        name,
        entry: serviceEntry(pkg),
        env: { ...env, HOST: host.ip, PORT: '8080' },
        launcher: host.launcher,
      });
    service('api', '@lightbox/api', h.api);
    service('ingest', '@lightbox/ingest', h.api);
    service('worker-1', '@lightbox/worker', h.worker1);
    service('worker-2', '@lightbox/worker', h.worker2);
    const apiUrl = `http://${h.api.ip}:8080`;
    await waitFor(async () => (await fetch(`${apiUrl}/healthz`)).ok, {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: 'the API',
    });
    const target: ChaosTarget = { inbox, ...apiClient(apiUrl, editorToken, feedKey) };

    const storyIds = await createStories(target);
    say(
      `chaos:ha: ${PHOTOS} photos at ${RATE}/s for ${STORIES.length} stories; hosts: Redis ${h.redis1.ip} (primary), ${h.redis2.ip} (replica), Sentinels ${h.sentinel1.ip}-${h.sentinel3.ip.split('.').at(-1)}, S3 ${h.s3.ip}, API ${h.api.ip}, workers ${h.worker1.ip}, ${h.worker2.ip}`,
    );
    const photos = await plan(PHOTOS);
    say(`${at()} generated ${photos.length} photos`);

    // ------------------------------------------------------------ faults
    const pushSeconds = PHOTOS / RATE;
    const faults: string[] = [];
    const note = (line: string) => {
      faults.push(`${at()} ${line}`);
      say(faults.at(-1) as string);
    };
    const failover: {
      killedAt?: number;
      switchedAt?: number;
      apiAt?: number;
      canary?: string;
      publishedAt?: number;
    } = {};
    const acks: { photoId: string; at: number; startedAt: number }[] = [];
    const failoverRun = (async () => {
      await sleep(pushSeconds * 0.3 * 1000);
      note(`SIGKILL the Redis primary (${h.redis1.ip})`);
      failover.killedAt = Date.now();
      primary.kill();
      redises.splice(redises.indexOf(primary), 1);
      // The Sentinels' switch, the API's first acknowledgement of an upload sent after the kill, and
      // that photo in its gallery: the pipeline as a whole is back.
      const watchSwitch = (async () => {
        while ((await primaryAddress().catch(() => h.redis1.ip)) === h.redis1.ip) await sleep(100);
        failover.switchedAt = Date.now();
        note(`Sentinels promoted ${await primaryAddress()}`);
      })();
      const watchPipeline = (async () => {
        for (;;) {
          const first = acks.find((a) => a.startedAt >= (failover.killedAt as number));
          if (first) {
            failover.apiAt ??= first.at;
            failover.canary = first.photoId;
            const res = await target.call(`/v1/photos/${first.photoId}`).catch(() => undefined);
            const status = res?.ok ? ((await res.json()) as { status: string }).status : undefined;
            if (status === 'published') {
              failover.publishedAt = Date.now();
              note(`first photo sent after the kill is published (${first.photoId})`);
              return;
            }
          }
          await sleep(200);
        }
      })();
      await sleep(PRIMARY_BACK_AFTER_MS);
      redises.push(await redisOn(h.redis1));
      note(`old primary back (${h.redis1.ip}): the Sentinels make it a replica`);
      await Promise.all([watchSwitch, watchPipeline]);
    })();
    const partitionRun = (async () => {
      await sleep(pushSeconds * 0.6 * 1000);
      const redisHosts = [h.redis1, h.redis2, h.sentinel1, h.sentinel2, h.sentinel3].map((x) => x.ip);
      const how = net.partition(h.worker2, redisHosts);
      note(`worker host ${h.worker2.ip} cut off from every Redis node for ${PARTITION_MS / 1000} s (${how})`);
      await sleep(PARTITION_MS);
      net.heal(h.worker2);
      note(`worker host ${h.worker2.ip} healed`);
      return how;
    })();

    // ------------------------------------------------------------ load
    const load = await pushLoad(target, photos, RATE, (photoId, ackAt, startedAt) =>
      acks.push({ photoId, at: ackAt, startedAt }),
    );
    say(`${at()} all ${PHOTOS} photos handed over (${load.httpRetries} HTTP retries)`);
    const [, partitionedBy] = await Promise.all([failoverRun, partitionRun]);
    const faultsEnd = Date.now();
    say(`${at()} faults over; draining…`);

    // ------------------------------------------------------------ drain and count
    const drained = await waitDrained(target, 300_000);
    const drainMs = Date.now() - faultsEnd;
    say(`${at()} ${drained ? 'drained' : 'NOT drained'} after ${(drainMs / 1000).toFixed(1)} s`);
    const count = await countOutcomes(target, photos, storyIds.values(), load);
    const { lostIds, correctionsInGallery, duplicated, ...counts } = count;
    const finalPrimary = await primaryAddress().catch(() => undefined);
    const oldPrimary = new Redis({
      host: h.redis1.ip,
      port: 6379,
      password: redisPassword,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    const oldPrimaryRole = await oldPrimary
      .info('replication')
      .then((i) => /role:(\w+)/.exec(i)?.[1])
      .catch(() => undefined);
    oldPrimary.disconnect();
    // What the reconciler put back (runs on start, every minute and after the failover).
    const state = createRedis(
      { sentinels: [{ host: h.sentinel1.ip, port: 26379 }], name: GROUP, password: redisPassword },
      { connectionName: 'chaos-ha' },
    );
    const reconcile = await state.hgetall('lightbox:reconcile:totals');
    state.disconnect();
    sentinel.disconnect();
    const failoverRecovery =
      failover.publishedAt && failover.killedAt ? failover.publishedAt - failover.killedAt : undefined;
    const result = {
      photos: PHOTOS,
      ...counts,
      duplicated,
      drain_s: seconds(drainMs),
      drained,
      failover_recovery_s: seconds(failoverRecovery),
      sentinel_switch_s: seconds(
        failover.switchedAt && failover.killedAt ? failover.switchedAt - failover.killedAt : undefined,
      ),
      api_accepting_again_s: seconds(
        failover.apiAt && failover.killedAt ? failover.apiAt - failover.killedAt : undefined,
      ),
      replica_acks: Number(values['replica-acks']),
      final_primary: finalPrimary,
      reconcile,
      old_primary_role: oldPrimaryRole,
      partition: { host: h.worker2.ip, seconds: PARTITION_MS / 1000, by: partitionedBy },
      exact_duplicates_sent: DUPLICATES,
      exact_duplicates_recognised: load.duplicatesOk,
      corrections_sent: CORRECTIONS,
      corrections_as_new_version: load.correctionsSameId,
      corrections_in_gallery: correctionsInGallery,
      http_retries: load.httpRetries,
      service_restarts: supervisor.services.reduce((n, s) => n + s.restarts, 0),
      faults,
      lost_ids: lostIds.slice(0, 50),
      targets: { lost: 0, duplicated: 0 },
      met: counts.lost === 0 && duplicated === 0 && drained,
    };
    await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(
      join(REPO_ROOT, 'bench', 'results', 'chaos-ha.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    say('');
    say(
      `accepted ${result.accepted}: published ${counts.published}, unmatched ${counts.unmatched}, review ${counts.review}, dead letters ${counts.dead_letter}, rejected ${counts.rejected}`,
    );
    say(
      `lost ${counts.lost}, duplicated ${duplicated}; drained ${result.drain_s} s after the faults; failover: Sentinels ${result.sentinel_switch_s} s, API accepting ${result.api_accepting_again_s} s, pipeline publishing ${result.failover_recovery_s} s after the SIGKILL`,
    );
    say(
      `exact duplicates recognised ${load.duplicatesOk}/${DUPLICATES}; corrections as new versions ${load.correctionsSameId}/${CORRECTIONS}, in gallery ${correctionsInGallery}/${CORRECTIONS}`,
    );
    say(
      `reconciler: ${Object.entries(reconcile)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    say(result.met ? 'MET: 0 lost, 0 duplicated, drained' : 'MISSED');
    if (lostIds.length > 0) say(`lost: ${lostIds.slice(0, 10).join(', ')}`);
    if (!result.met)
      for (const s of supervisor.services) say(`--- ${s.name} log (tail) ---\n${s.log.slice(-3000)}`);
    return result.met ? 0 : 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
