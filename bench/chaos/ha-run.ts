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
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { whichRedisSentinel, whichRedisServer } from '@lightbox/embedded';
import { REPO_ROOT, tempDir } from '@lightbox/test-infra';
import { namespacesUnavailable } from '../support/netns.js';
import { HaCluster } from './ha-cluster.js';
import { type Ack, type FailoverTimes, failPrimary, PARTITION_MS, partitionWorker } from './ha-faults.js';
import {
  type ChaosCount,
  CORRECTIONS,
  countOutcomes,
  createStories,
  DUPLICATES,
  type LoadResult,
  plan,
  pushLoad,
  runClock,
  STORIES,
  say,
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

const at = runClock();
const seconds = (ms: number | undefined) => (ms === undefined ? null : Number((ms / 1000).toFixed(1)));
const since = (from: number | undefined, to: number | undefined) =>
  seconds(from && to ? to - from : undefined);

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
  const data = await tempDir('lightbox-ha-');
  let cluster: HaCluster;
  try {
    cluster = new HaCluster({
      dataDir: data.path,
      redisBin,
      sentinelBin,
      replicaAcks: values['replica-acks'],
    });
  } catch (err) {
    await data.remove();
    throw err;
  }
  const cleanup = async () => {
    await cluster.stop();
    if (!values.keep) await data.remove();
    else say(`data kept in ${data.path}`);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanup().then(() => process.exit(130)));
  try {
    return await run(cluster);
  } finally {
    await cleanup();
  }
}

/** Pushes the load while the faults happen, waits for the pipeline to drain, counts and reports. */
async function run(cluster: HaCluster): Promise<number> {
  const h = cluster.hosts;
  const { target, primary } = await cluster.start();
  const storyIds = await createStories(target);
  say(
    `chaos:ha: ${PHOTOS} photos at ${RATE}/s for ${STORIES.length} stories; hosts: Redis ${h.redis1.ip} (primary), ${h.redis2.ip} (replica), Sentinels ${h.sentinel1.ip}-${h.sentinel3.ip.split('.').at(-1)}, S3 ${h.s3.ip}, API ${h.api.ip}, workers ${h.worker1.ip}, ${h.worker2.ip}`,
  );
  const photos = await plan(PHOTOS);
  say(`${at()} generated ${photos.length} photos`);

  // ------------------------------------------------------------ faults, during the load
  const pushSeconds = PHOTOS / RATE;
  const faults: string[] = [];
  const note = (line: string) => {
    faults.push(`${at()} ${line}`);
    say(faults.at(-1) as string);
  };
  const acks: Ack[] = [];
  const failoverRun = failPrimary(cluster, primary, target, acks, pushSeconds * 0.3 * 1000, note);
  const partitionRun = partitionWorker(cluster, pushSeconds * 0.6 * 1000, note);
  const load = await pushLoad(target, photos, RATE, (photoId, ackAt, startedAt) =>
    acks.push({ photoId, at: ackAt, startedAt }),
  );
  say(`${at()} all ${PHOTOS} photos handed over (${load.httpRetries} HTTP retries)`);
  const [failover, partitionedBy] = await Promise.all([failoverRun, partitionRun]);
  const faultsEnd = Date.now();
  say(`${at()} faults over; draining…`);

  // ------------------------------------------------------------ drain and count
  const drained = await waitDrained(target, 300_000);
  const drainMs = Date.now() - faultsEnd;
  say(`${at()} ${drained ? 'drained' : 'NOT drained'} after ${(drainMs / 1000).toFixed(1)} s`);
  const count = await countOutcomes(target, photos, storyIds.values(), load);
  const result = resultOf(count, load, failover, drained, drainMs, {
    final_primary: await cluster.primaryAddress().catch(() => undefined),
    reconcile: await cluster.reconcileTotals(),
    old_primary_role: await cluster.roleOf(h.redis1),
    partition: { host: h.worker2.ip, seconds: PARTITION_MS / 1000, by: partitionedBy },
    service_restarts: cluster.supervisor.services.reduce((n, s) => n + s.restarts, 0),
    faults,
  });
  await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(
    join(REPO_ROOT, 'bench', 'results', 'chaos-ha.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  report(result, count, load);
  if (!result.met)
    for (const s of cluster.supervisor.services) say(`--- ${s.name} log (tail) ---\n${s.log.slice(-3000)}`);
  return result.met ? 0 : 1;
}

/** The run's figures, as bench/results/chaos-ha.json has them. */
function resultOf(
  count: ChaosCount,
  load: LoadResult,
  failover: FailoverTimes,
  drained: boolean,
  drainMs: number,
  cluster: {
    final_primary: string | undefined;
    reconcile: Record<string, string>;
    old_primary_role: string | undefined;
    partition: { host: string; seconds: number; by: string };
    service_restarts: number;
    faults: string[];
  },
) {
  const { lostIds, correctionsInGallery, duplicated, ...counts } = count;
  return {
    photos: PHOTOS,
    ...counts,
    duplicated,
    drain_s: seconds(drainMs),
    drained,
    failover_recovery_s: since(failover.killedAt, failover.publishedAt),
    sentinel_switch_s: since(failover.killedAt, failover.switchedAt),
    api_accepting_again_s: since(failover.killedAt, failover.apiAt),
    replica_acks: Number(values['replica-acks']),
    final_primary: cluster.final_primary,
    reconcile: cluster.reconcile,
    old_primary_role: cluster.old_primary_role,
    partition: cluster.partition,
    exact_duplicates_sent: DUPLICATES,
    exact_duplicates_recognised: load.duplicatesOk,
    corrections_sent: CORRECTIONS,
    corrections_as_new_version: load.correctionsSameId,
    corrections_in_gallery: correctionsInGallery,
    http_retries: load.httpRetries,
    service_restarts: cluster.service_restarts,
    faults: cluster.faults,
    lost_ids: lostIds.slice(0, 50),
    targets: { lost: 0, duplicated: 0 },
    met: counts.lost === 0 && duplicated === 0 && drained,
  };
}

function report(result: ReturnType<typeof resultOf>, count: ChaosCount, load: LoadResult): void {
  const { lostIds, correctionsInGallery, duplicated } = count;
  say('');
  say(
    `accepted ${result.accepted}: published ${count.published}, unmatched ${count.unmatched}, review ${count.review}, dead letters ${count.dead_letter}, rejected ${count.rejected}`,
  );
  say(
    `lost ${count.lost}, duplicated ${duplicated}; drained ${result.drain_s} s after the faults; failover: Sentinels ${result.sentinel_switch_s} s, API accepting ${result.api_accepting_again_s} s, pipeline publishing ${result.failover_recovery_s} s after the SIGKILL`,
  );
  say(
    `exact duplicates recognised ${load.duplicatesOk}/${DUPLICATES}; corrections as new versions ${load.correctionsSameId}/${CORRECTIONS}, in gallery ${correctionsInGallery}/${CORRECTIONS}`,
  );
  say(
    `reconciler: ${Object.entries(result.reconcile)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  say(result.met ? 'MET: 0 lost, 0 duplicated, drained' : 'MISSED');
  if (lostIds.length > 0) say(`lost: ${lostIds.slice(0, 10).join(', ')}`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
