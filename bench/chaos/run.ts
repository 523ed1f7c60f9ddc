/**
 * `npm run chaos [-- --photos N]`: the real stack on this machine under faults, and a report of
 * what was lost or duplicated. See docs/reliability.md.
 *
 * Runs redis-server (AOF), s3rver, the API, the hot-folder service and two worker processes, as
 * production does. Pushes N photos for 5 stories at a steady rate over HTTP (retrying like a wire
 * feed) and through the hot folder, plus 20 exact duplicates and 10 corrections. Meanwhile it
 * SIGKILLs a random worker every 3 s (and restarts it), restarts redis-server once, and takes S3
 * away for 15 s. Then it waits for the pipeline to drain and checks every accepted photo.
 * Writes bench/results/chaos.json; exits 1 when anything was lost or duplicated or the drain took
 * longer than 60 s.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@lightbox/test-infra';
import { alive, startLocalStack } from '../support/local-stack.js';
import {
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
  options: { photos: { type: 'string', default: '500' }, keep: { type: 'boolean', default: false } },
});
const PHOTOS = Math.max(10, Number(values.photos));
const RATE = Math.max(2, PHOTOS / 100); // photos per second: 500 over ~100 s; 50 over ~25 s
const WORKERS = 2;

const at = runClock();

// ---------------------------------------------------------------- the run
async function main(): Promise<void> {
  const stack = await startLocalStack({ workers: WORKERS, env: { LIGHTBOX_RENDER_CONCURRENCY: '2' } });
  const { workers } = stack;

  const storyIds = await createStories(stack);
  say(`chaos: ${PHOTOS} photos at ${RATE}/s for ${STORIES.length} stories, ${WORKERS} workers`);
  const photos = await plan(PHOTOS);
  say(`${at()} generated ${photos.length} photos`);

  // ---------------------------------------------------------------- faults
  const pushSeconds = PHOTOS / RATE;
  const faults: string[] = [];
  let faultsOn = true;
  const killer = setInterval(() => {
    if (!faultsOn) return;
    const victim = workers[Math.floor(Math.random() * workers.length)];
    if (!victim) return;
    if (alive(victim)) {
      victim.child?.kill('SIGKILL');
      victim.kills++;
    }
  }, 3000);
  const redisRestart = (async () => {
    await sleep(pushSeconds * 0.3 * 1000);
    faults.push(`${at()} redis-server restart (SHUTDOWN with AOF, start again)`);
    say(faults.at(-1) as string);
    await stack.restartRedis();
    faults.push(`${at()} redis-server back`);
  })();
  const s3Outage = (async () => {
    await sleep(pushSeconds * 0.6 * 1000);
    faults.push(`${at()} S3 down for 15 s`);
    say(faults.at(-1) as string);
    await stack.s3Outage(15_000);
    faults.push(`${at()} S3 back`);
    say(faults.at(-1) as string);
  })();

  // ---------------------------------------------------------------- load
  const load = await pushLoad(stack, photos, RATE);
  say(`${at()} all ${PHOTOS} photos handed over (${load.httpRetries} HTTP retries)`);
  await Promise.all([redisRestart, s3Outage]);
  faultsOn = false;
  clearInterval(killer);
  const faultsEnd = Date.now();
  say(`${at()} faults stopped; ${workers.reduce((n, w) => n + w.kills, 0)} worker SIGKILLs; draining…`);

  // ---------------------------------------------------------------- drain
  const drained = await waitDrained(stack, 300_000);
  const drainSeconds = (Date.now() - faultsEnd) / 1000;
  say(`${at()} ${drained ? 'drained' : 'NOT drained'} after ${drainSeconds.toFixed(1)} s`);

  // ---------------------------------------------------------------- verify
  const count = await countOutcomes(stack, photos, storyIds.values(), load);
  const { lostIds, correctionsInGallery, duplicated, ...counts } = count;
  const result = {
    photos: PHOTOS,
    ...counts,
    duplicated,
    drain_s: Number(drainSeconds.toFixed(1)),
    drained,
    exact_duplicates_sent: DUPLICATES,
    exact_duplicates_recognised: load.duplicatesOk,
    corrections_sent: CORRECTIONS,
    corrections_as_new_version: load.correctionsSameId,
    corrections_in_gallery: correctionsInGallery,
    worker_sigkills: workers.reduce((n, w) => n + w.kills, 0),
    http_retries: load.httpRetries,
    faults,
    lost_ids: lostIds.slice(0, 50),
    targets: { lost: 0, duplicated: 0, drain_s: 60 },
    met: counts.lost === 0 && duplicated === 0 && drained && drainSeconds <= 60,
  };
  await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(REPO_ROOT, 'bench', 'results', 'chaos.json'), `${JSON.stringify(result, null, 2)}\n`);
  say('');
  say(
    `accepted ${result.accepted}: published ${counts.published}, unmatched ${counts.unmatched}, review ${counts.review}, dead letters ${counts.dead_letter}, rejected ${counts.rejected}`,
  );
  say(`lost ${counts.lost}, duplicated ${duplicated}, drained in ${result.drain_s} s`);
  say(
    `exact duplicates recognised ${load.duplicatesOk}/${DUPLICATES}; corrections as new versions ${load.correctionsSameId}/${CORRECTIONS}, in gallery ${correctionsInGallery}/${CORRECTIONS}`,
  );
  say(result.met ? 'MET: 0 lost, 0 duplicated, drained within 60 s' : 'MISSED');
  if (lostIds.length > 0) say(`lost: ${lostIds.slice(0, 10).join(', ')}`);

  if (!result.met)
    for (const svc of [stack.api, stack.ingest, ...workers])
      say(`--- ${svc.name} log (tail) ---\n${svc.log.slice(-3000)}`);
  await stack.stop({ keepData: values.keep });
  if (values.keep) say(`data kept in ${stack.dataDir}`);
  process.exit(result.met ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
