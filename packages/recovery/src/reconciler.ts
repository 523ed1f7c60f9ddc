import { randomUUID } from 'node:crypto';
import { type PhotoCatalog, type PhotoState, runCommit, type StoryCatalog } from '@lightbox/catalog';
import {
  captureInstant,
  type GalleryIndex,
  type GalleryManifest,
  objectKeys,
  type Photo,
  type StageName,
} from '@lightbox/contracts';
import {
  type Acceptance,
  type AcceptanceLog,
  daysBetween,
  inArrivalOrder,
  type PhotoIntake,
  type PhotoSnapshot,
  replayAcceptance,
  SNAPSHOT_FORMAT,
} from '@lightbox/intake';
import { PUBLIC_STATUSES } from '@lightbox/lifecycle';
import type { Logger } from '@lightbox/logger';
import { jobIdFor, type PipelineQueues } from '@lightbox/queue';
import { ObjectNotFoundError, type ObjectStore } from '@lightbox/storage';
import { DeskError, type PublishScheduler, type StoryCopies, type StoryDesk } from '@lightbox/story-desk';
import { identityKeys } from '@lightbox/wire-rules';
import type { Redis } from 'ioredis';

const DAY = 86_400_000;
/** Version of what object storage holds for Redis to be rebuilt from (acceptances, story copies). */
export const STORAGE_COPIES_VERSION = '1';
const BATCH = 500;
const LOCK_MS = 60_000;

export interface ReconcilerDeps {
  redis: Redis;
  prefix: string;
  store: ObjectStore;
  acceptances: AcceptanceLog;
  /** Puts replayed transmissions through the same decision as when they came. */
  intake: PhotoIntake;
  photos: PhotoCatalog;
  stories: StoryCatalog;
  copies: StoryCopies;
  desk: StoryDesk;
  queues: PipelineQueues;
  publishing: PublishScheduler;
  log: Pick<Logger, 'info' | 'warn'>;
}

export interface ReconcileOptions {
  /** Acceptances younger than this are left alone: their upload may still be under way. */
  graceMs: number;
  /** Look at acceptances of the last `days` UTC days (and today); every acceptance when undefined. */
  days?: number;
  now?: number;
}

export interface ReconcileReport {
  /** False when another reconcile held the lock: nothing was done. */
  ran: boolean;
  storiesAdopted: string[];
  /** Stories whose copy could not come back (their slug is taken by another story). */
  storyConflicts: string[];
  /** Entries of the published gallery index put back (galleries of archived stories stay listed). */
  galleryIndexEntries: number;
  storyCopiesWritten: number;
  acceptancesScanned: number;
  /** Transmissions Redis had lost, put through intake again, by what they became. */
  replayed: Record<string, number>;
  snapshotsImported: number;
  failures: { key: string; error: string }[];
  /** Photos whose next job was missing, queued again (by stage). */
  requeued: Partial<Record<StageName, number>>;
  publishesScheduled: number;
  /** Photos of an earlier release filed as snapshots (the first run after an upgrade). */
  earlierReleaseSnapshots: number;
  ms: number;
}

/**
 * S3 is the source of truth; Redis can be rebuilt. Compares what object storage holds (story
 * copies, acceptances, the published gallery index) with Redis and puts back what Redis lost:
 *
 * 1. stories with a copy but no record (and not archived) come back (`StoryDesk.adopt`), with their
 *    gallery's published version, so waiting photos match them again;
 * 2. gallery index entries of published galleries Redis no longer lists (archived stories');
 * 3. acceptances whose transmission Redis does not know are replayed through intake in arrival
 *    order — the same lifecycle decision as when they came, so versions, kills, embargoes and feed
 *    ownership come out right — exactly once (the fingerprint is claimed by compare-and-set, so a
 *    second replay, a racing reconcile or a feed's own resend is a duplicate);
 * 4. photos whose next job is missing (received, an embargo past its time, a kill still shown, a
 *    match never published) get it queued again, under a job id of their own revision;
 * 5. story copies that differ from Redis are rewritten.
 *
 * One reconcile runs at a time (a lock in Redis). Safe to run any time, as often as wanted.
 */
export class Reconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  async run(options: ReconcileOptions): Promise<ReconcileReport> {
    const started = Date.now();
    const now = options.now ?? started;
    const report: ReconcileReport = {
      ran: false,
      storiesAdopted: [],
      storyConflicts: [],
      galleryIndexEntries: 0,
      storyCopiesWritten: 0,
      acceptancesScanned: 0,
      replayed: {},
      snapshotsImported: 0,
      failures: [],
      requeued: {},
      publishesScheduled: 0,
      earlierReleaseSnapshots: 0,
      ms: 0,
    };
    const lock = await this.lock();
    if (!lock) return report;
    try {
      report.ran = true;
      report.earlierReleaseSnapshots = await this.coverEarlierRelease();
      await this.stories(report);
      await this.galleryIndex(report);
      await this.acceptances(report, options, now);
      await this.stuckWork(report, options, now);
      report.storyCopiesWritten = await this.deps.copies.sync();
      report.ms = Date.now() - started;
      await this.record(report);
    } finally {
      await lock.release();
    }
    return report;
  }

  /** The last report, and running totals of what reconciles put back (for operators and chaos:ha). */
  async lastRun(): Promise<{ last?: ReconcileReport & { at: string }; totals: Record<string, number> }> {
    const [last, totals] = await Promise.all([
      this.deps.redis.get(`${this.deps.prefix}:reconcile:last`),
      this.deps.redis.hgetall(`${this.deps.prefix}:reconcile:totals`),
    ]);
    return {
      ...(last ? { last: JSON.parse(last) } : {}),
      totals: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Number(v)])),
    };
  }

  private async record(report: ReconcileReport): Promise<void> {
    const { redis, prefix } = this.deps;
    const tx = redis
      .multi()
      .set(`${prefix}:reconcile:last`, JSON.stringify({ ...report, at: new Date().toISOString() }));
    const totals = `${prefix}:reconcile:totals`;
    tx.hincrby(totals, 'runs', 1);
    for (const [k, v] of Object.entries(report.replayed)) tx.hincrby(totals, `replayed:${k}`, v);
    for (const [k, v] of Object.entries(report.requeued)) tx.hincrby(totals, `requeued:${k}`, v ?? 0);
    tx.hincrby(totals, 'storiesAdopted', report.storiesAdopted.length);
    tx.hincrby(totals, 'snapshotsImported', report.snapshotsImported);
    tx.hincrby(totals, 'failures', report.failures.length);
    await tx.exec();
  }

  /**
   * Once per Redis (a marker key): state written by a release that kept no copies in storage gets
   * them — story copies (`StoryCopies.sync`), and a snapshot of every photo no acceptance covers.
   * Interrupted, it starts again next time (both steps rewrite the same keys).
   */
  private async coverEarlierRelease(): Promise<number> {
    const { redis, prefix, photos, acceptances, copies, log } = this.deps;
    const marker = `${prefix}:state:storage-copies-version`;
    if ((await redis.get(marker)) === STORAGE_COPIES_VERSION) return 0;
    await copies.sync();
    const covered = new Set((await acceptances.list()).map((r) => r.at));
    let snapshots = 0;
    for (let offset = 0; ; offset += BATCH) {
      const ids = await photos.recentIds(BATCH, offset);
      if (ids.length === 0) break;
      const uncovered = (await photos.getMany(ids)).filter(
        (p) => !p.photoId.startsWith('rj_') && !covered.has(Date.parse(p.receivedAt)),
      );
      const states = await photos.exportStates(
        uncovered.map((p) => p.photoId),
        (p) => (p.metadata ? identityKeys(p.metadata) : []),
      );
      for (const state of states) await acceptances.snapshot(state);
      snapshots += states.length;
      await this.renew();
    }
    await redis.set(marker, STORAGE_COPIES_VERSION);
    if (snapshots > 0) log.info({ snapshots }, 'reconcile: photos of an earlier release filed in storage');
    return snapshots;
  }

  /** Stories with a copy in storage that Redis neither holds nor archived. */
  private async stories(report: ReconcileReport): Promise<void> {
    const { copies, stories, desk, store, log } = this.deps;
    for (const storyId of await copies.ids()) {
      if ((await stories.get(storyId)) || (await stories.archivedRef(storyId))) continue;
      const copy = await copies.read(storyId);
      if (!copy) continue;
      const manifest = await readJson<GalleryManifest>(store, objectKeys.gallery(storyId));
      try {
        await desk.adopt(copy, manifest?.version ?? 0);
        report.storiesAdopted.push(storyId);
        log.info({ storyId, slug: copy.story.slug }, 'reconcile: story put back from its copy');
      } catch (err) {
        if (!(err instanceof DeskError)) throw err;
        report.storyConflicts.push(storyId);
        log.warn({ storyId, err: err.message }, 'reconcile: story copy not put back');
      }
    }
  }

  private async galleryIndex(report: ReconcileReport): Promise<void> {
    const { stories, store } = this.deps;
    const published = await readJson<GalleryIndex>(store, objectKeys.galleryIndex);
    if (!published) return;
    const known = new Set((await stories.galleryEntries()).map((e) => e.storyId));
    for (const entry of published.galleries) {
      if (known.has(entry.storyId)) continue;
      await stories.recordGalleryEntry(entry);
      report.galleryIndexEntries++;
    }
  }

  private async acceptances(report: ReconcileReport, options: ReconcileOptions, now: number): Promise<void> {
    const { acceptances, photos, intake, log } = this.deps;
    const days = options.days === undefined ? undefined : daysBetween(now - options.days * DAY, now);
    const refs = inArrivalOrder(await acceptances.list(days)).filter((r) => r.at <= now - options.graceMs);
    report.acceptancesScanned = refs.length;
    for (let i = 0; i < refs.length; i += BATCH) {
      const batch = refs.slice(i, i + BATCH);
      const known = await photos.knownFingerprints(batch.map((r) => r.fingerprint));
      for (const [j, ref] of batch.entries()) {
        if (known[j]) continue;
        try {
          const record = await acceptances.read(ref.key);
          if (record.format === SNAPSHOT_FORMAT) {
            if (await this.importSnapshot(record)) report.snapshotsImported++;
            continue;
          }
          const result = await replayAcceptance(intake, acceptances, record as Acceptance);
          const outcome = result.duplicate ? 'duplicate' : (result.outcome ?? result.status);
          report.replayed[outcome] = (report.replayed[outcome] ?? 0) + 1;
          log.info({ key: ref.key, photoId: result.photoId, outcome }, 'reconcile: acceptance replayed');
        } catch (err) {
          report.failures.push({ key: ref.key, error: (err as Error).message });
          log.warn({ key: ref.key, err: (err as Error).message }, 'reconcile: acceptance not replayed');
        }
        await this.renew();
      }
    }
  }

  /** A photo an earlier release accepted: back as it was, in its story and indexes. */
  private async importSnapshot(snapshot: PhotoSnapshot): Promise<boolean> {
    const { photos, stories, publishing, redis } = this.deps;
    const { photo } = snapshot.state;
    if (await photos.get(photo.photoId)) return false;
    await photos.importStates([snapshot.state as PhotoState]);
    if (photo.storyId && PUBLIC_STATUSES.has(photo.status)) {
      await stories.addPhoto(photo.storyId, photo.photoId);
      await publishing.schedule(photo.storyId);
    }
    if (photo.status === 'unmatched' || photo.status === 'review') {
      const at = captureInstant(photo.metadata?.dateCreated);
      if (at !== undefined) {
        const commit = photos.newCommit();
        photos.awaitingStory(commit, photo.photoId, at);
        await runCommit(redis, commit);
      }
    }
    return true;
  }

  /** Photos whose next step has no job: queued again, under a job id of their current revision. */
  private async stuckWork(report: ReconcileReport, options: ReconcileOptions, now: number): Promise<void> {
    const { queues, publishing, store } = this.deps;
    const settled = (p: Photo) => Date.parse(p.updatedAt) <= now - options.graceMs;
    const pending = await this.pendingPhotoIds();
    const requeue = async (stage: 'render' | 'match' | 'release', p: Photo) => {
      await queues.add(stage, { photoId: p.photoId }, { jobId: reconcileJobId(p, stage) });
      report.requeued[stage] = (report.requeued[stage] ?? 0) + 1;
    };
    for (const p of await this.photosIn('received')) {
      if (!settled(p) || pending.has(p.photoId)) continue;
      // Render is the first step after intake (it reads what a record of an earlier release lacks).
      await requeue(p.renditions?.length ? 'match' : 'render', p);
    }
    for (const p of await this.photosIn('embargoed')) {
      if (!settled(p) || pending.has(p.photoId)) continue;
      if (p.embargoUntil && Date.parse(p.embargoUntil) <= now - options.graceMs) await requeue('release', p);
    }
    // A kill or expiry whose take-down never finished: renditions left, or a manifest still naming it.
    const manifests = new Map<string, GalleryManifest | undefined>();
    const shown = async (p: Photo) => {
      if (p.renditions?.length) return true;
      if (!p.storyId) return false;
      if (!manifests.has(p.storyId))
        manifests.set(p.storyId, await readJson<GalleryManifest>(store, objectKeys.gallery(p.storyId)));
      return !!manifests
        .get(p.storyId)
        ?.photos.some((m) => m.photoId === p.photoId || m.alternates.some((a) => a.photoId === p.photoId));
    };
    for (const status of ['killed', 'expired'] as const)
      for (const p of await this.photosIn(
        status,
        options.days === undefined ? undefined : now - options.days * DAY,
      )) {
        if (!settled(p) || pending.has(p.photoId) || !(await shown(p))) continue;
        const why = status === 'killed' ? 'kill' : 'expire';
        await queues.add(
          'takedown',
          { photoId: p.photoId, why },
          { jobId: reconcileJobId(p, `takedown-${why}`) },
        );
        report.requeued.takedown = (report.requeued.takedown ?? 0) + 1;
      }
    // Matched photos a gallery never showed: their story publishes (coalesced, rebuilt from state).
    const stale = new Set<string>();
    for (const p of await this.photosIn('matched')) if (settled(p) && p.storyId) stale.add(p.storyId);
    for (const storyId of stale) await publishing.schedule(storyId);
    report.publishesScheduled = stale.size;
  }

  /** Records of photos with a status (updated since `sinceMs`, when given), up to 10,000. */
  private async photosIn(status: Photo['status'], sinceMs?: number): Promise<Photo[]> {
    const { ids } = await this.deps.photos.listByStatus(status, 0, 10_000);
    const out: Photo[] = [];
    for (let i = 0; i < ids.length; i += BATCH)
      out.push(...(await this.deps.photos.getMany(ids.slice(i, i + BATCH))));
    return sinceMs === undefined ? out : out.filter((p) => Date.parse(p.updatedAt) >= sinceMs);
  }

  /** Photos some photo stage has a job for (waiting, running, delayed or retrying). */
  private async pendingPhotoIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const stage of ['ingest', 'render', 'match', 'release', 'takedown'] as const) {
      const jobs = await this.deps.queues
        .queue(stage)
        .getJobs(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'], 0, 20_000);
      for (const job of jobs) if (typeof job?.data?.photoId === 'string') ids.add(job.data.photoId);
    }
    return ids;
  }

  private get lockKey() {
    return `${this.deps.prefix}:reconcile-lock`;
  }

  private lockToken?: string;

  private async lock(): Promise<{ release(): Promise<void> } | undefined> {
    const token = randomUUID();
    const ok = await this.deps.redis.set(this.lockKey, token, 'PX', LOCK_MS, 'NX');
    if (ok !== 'OK') return undefined;
    this.lockToken = token;
    return {
      release: async () => {
        this.lockToken = undefined;
        await this.deps.redis.eval(
          `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
          1,
          this.lockKey,
          token,
        );
      },
    };
  }

  /** Keeps the lock while a long replay runs. */
  private async renew(): Promise<void> {
    if (!this.lockToken) return;
    await this.deps.redis.eval(
      `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
      1,
      this.lockKey,
      this.lockToken,
      String(LOCK_MS),
    );
  }
}

/** A job id of the photo's current version and revision: one repair per state, however often asked. */
const reconcileJobId = (p: Photo, step: string) =>
  jobIdFor(p.photoId, `v${p.version}`, `r${p.rev ?? 0}`, 'reconcile', step);

/** A JSON object from storage; undefined when there is none (any other failure throws). */
async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  try {
    return JSON.parse((await store.get(key)).toString('utf8')) as T;
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return undefined;
    throw err;
  }
}
