/**
 * The lifecycle's model-based concurrency suite: random waves of originals, resends, updates,
 * corrections, kills, embargoes and releases from several feeds (HTTP and a hot folder), for a
 * handful of picture identities at a time, fired concurrently at the real stack (redis-server,
 * s3rver, API, hot folder, 2 worker processes), then checked against the reference model
 * (lifecycle-model.ts) and against invariants that need no model at all.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spliceJpegMetadata } from '@lightbox/imaging';
import { S3ObjectStore } from '@lightbox/storage';
import { tempDir } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { type LocalStack, startLocalStack } from '../support/local-stack.js';
import { type CheckContext, checkIdentities } from './lifecycle-checks.js';
import { basePicture, FEEDS, type IdentityRun, STORY, xmpFor } from './lifecycle-fixtures.js';
import { applyWave, emptyState, type Outcome, planWaves, prng, type Tx } from './lifecycle-model.js';

export interface LifecycleChaosOptions {
  /** At least this many transmissions. */
  transmissions: number;
  seed: number;
  say: (line: string) => void;
}

export interface LifecycleChaosReport {
  seed: number;
  transmissions: number;
  http: number;
  hotFolder: number;
  identities: number;
  rounds: number;
  outcomes: Record<string, number>;
  violations: string[];
  durationS: number;
}

const IDENTITIES_PER_ROUND = 6;
const WAVES_PER_ROUND = 4;
const SHORT_EMBARGO_MS = 12_000;
const LONG_EMBARGO_MS = 3 * 3600_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Observed = Map<number, Outcome | 'ok-or-duplicate'>;

export async function runLifecycleChaos(options: LifecycleChaosOptions): Promise<LifecycleChaosReport> {
  const started = Date.now();
  const keys = Object.fromEntries(
    FEEDS.map(({ feed }) => [feed, `${feed}_${randomBytes(10).toString('hex')}`]),
  );
  const folder = await tempDir('lightbox-lifecycle-folder-');
  const stack: LocalStack = await startLocalStack({
    workers: 2,
    env: {
      LIGHTBOX_FEED_KEYS: FEEDS.map(({ feed }) => `${feed}:${keys[feed]}`).join(','),
      LIGHTBOX_FEED_GROUPS: 'ap:ap,ap2',
      LIGHTBOX_HOTFOLDERS: `ap=${folder.path}`,
      LIGHTBOX_HOTFOLDER_QUIET_MS: '300',
      LIGHTBOX_HOTFOLDER_POLL_MS: '150',
      LIGHTBOX_PUBLISH_DELAY_MS: '50',
      LIGHTBOX_PUBLISH_SPACING_MS: '400',
      // Feeds and the index lag manifests (as in production, shorter): kills must still leave them at once.
      LIGHTBOX_FEED_REFRESH_MS: '2000',
      LIGHTBOX_RENDER_CONCURRENCY: '2',
    },
  });
  const redis = new Redis(stack.redis.url);
  const store = new S3ObjectStore({
    endpoint: stack.s3.endpoint,
    region: 'us-east-1',
    bucket: 'lightbox',
    accessKeyId: stack.s3.accessKeyId,
    secretAccessKey: stack.s3.secretAccessKey,
  });
  const run = new LifecycleChaosRun(options, { stack, store, redis, violations: [] }, keys, folder.path);
  try {
    await run.run(started);
  } finally {
    redis.disconnect();
    store.destroy();
    await stack.stop();
    await folder.remove();
  }
  return {
    seed: options.seed,
    transmissions: run.seq,
    http: run.http,
    hotFolder: run.hotFolder,
    identities: run.identities.length,
    rounds: run.rounds,
    outcomes: run.outcomes,
    violations: run.ctx.violations,
    durationS: Math.round((Date.now() - started) / 1000),
  };
}

/** One run on a started stack: rounds of identities, each fired in concurrent waves, then checked. */
class LifecycleChaosRun {
  private readonly random: () => number;
  /** A tag of this run in every identity's GUID and caption. */
  private readonly tag = randomBytes(3).toString('hex');
  private readonly bytesOf = new Map<string, Buffer>();
  readonly identities: IdentityRun[] = [];
  readonly outcomes: Record<string, number> = {};
  seq = 0;
  http = 0;
  hotFolder = 0;
  rounds = 0;

  constructor(
    private readonly options: LifecycleChaosOptions,
    readonly ctx: CheckContext,
    /** Each feed's API key. */
    private readonly keys: Record<string, string>,
    private readonly folder: string,
  ) {
    this.random = prng(options.seed);
  }

  private get violations(): string[] {
    return this.ctx.violations;
  }

  async run(started: number): Promise<void> {
    const story = await this.ctx.stack.call('/v1/stories', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(STORY),
    });
    const storyId = ((await story.json()) as { id: string }).id;
    while (this.seq < this.options.transmissions) {
      this.rounds++;
      const round = await this.newRound();
      for (const wave of this.planRound(round)) await this.fireWave(round, wave);
      await this.settle();
      const before = this.violations.length;
      await checkIdentities(this.ctx, round, storyId, Date.now());
      for (const v of this.violations.slice(before)) this.options.say(`  violation: ${v}`);
      this.options.say(
        `round ${this.rounds}: ${this.seq} transmissions so far, ${this.violations.length} violation(s), ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    // Short embargoes lift during the run: wait for the last, then check everything once more.
    const lastShort = Math.max(
      0,
      ...this.identities
        .flatMap((id) => id.txs.map((t) => t.embargoUntil ?? 0))
        .filter((t) => t < Date.now() + LONG_EMBARGO_MS / 2),
    );
    if (lastShort > Date.now()) await sleep(lastShort - Date.now() + 1000);
    await this.settle();
    await checkIdentities(this.ctx, this.identities, storyId, Date.now());
  }

  /** A round's new picture identities, each with a picture of its own. */
  private async newRound(): Promise<IdentityRun[]> {
    const first = this.identities.length;
    const round: IdentityRun[] = [];
    for (let i = 0; i < IDENTITIES_PER_ROUND; i++) {
      const index = first + i;
      const minute = index % 240;
      const t = new Date(Date.parse('2024-09-01T19:00:00+02:00') + minute * 60_000 + (index % 7) * 8000);
      round.push({
        index,
        guid: `urn:lightbox:chaos:${this.tag}:${index}`,
        dateCreated: `${new Date(t.getTime() + 2 * 3600_000).toISOString().slice(0, 19)}+02:00`,
        base: await basePicture(index),
        states: [emptyState()],
        answers: new Map(),
        txs: [],
      });
    }
    this.identities.push(...round);
    return round;
  }

  private planRound(round: IdentityRun[]): Tx[][] {
    const first = (round[0] as IdentityRun).index;
    return planWaves(
      this.random,
      {
        identities: IDENTITIES_PER_ROUND,
        waves: WAVES_PER_ROUND,
        feeds: FEEDS,
        hotFolderFeed: 'ap',
        now: Date.now(),
        shortEmbargoMs: SHORT_EMBARGO_MS,
        longEmbargoMs: LONG_EMBARGO_MS,
      },
      () => ++this.seq,
      (id, s) =>
        `Frame ${this.tag}-${first + id} v${s}: flag bearers at the Lifecycle Cup final in the Stade Lumière, Lyon.`,
    );
  }

  /** Fires a wave's transmissions at once, then narrows each identity's model states by the answers. */
  private async fireWave(round: IdentityRun[], wave: Tx[]): Promise<void> {
    const now = Date.now();
    const observed: Observed = new Map();
    await Promise.all(wave.map((tx) => this.send(round[tx.identity] as IdentityRun, tx, observed)));
    const folderTxs = wave.filter((tx) => tx.route === 'hot-folder');
    if (folderTxs.length > 0) await this.hotFolderOutcomes(folderTxs, observed);
    for (const id of round) {
      const mine = wave.filter((tx) => round[tx.identity] === id);
      if (mine.length === 0) continue;
      const next = applyWave(id.states, mine, observed, now);
      if (next.length === 0)
        this.violations.push(
          `identity ${id.index}: no order of transmissions ${mine.map((t) => `${t.seq}:${t.kind}/${t.group}`).join(', ')} explains the answers ${mine.map((t) => observed.get(t.seq)).join(', ')}`,
        );
      id.states = next.length > 0 ? next : id.states;
    }
  }

  /** Sends one transmission (HTTP or the hot folder); an HTTP answer is recorded at once. */
  private async send(id: IdentityRun, tx: Tx, observed: Observed): Promise<void> {
    id.txs.push(tx);
    let bytes = this.bytesOf.get(tx.fingerprint);
    if (!bytes) {
      bytes = spliceJpegMetadata(id.base, { xmp: xmpFor(tx, id.guid, id.dateCreated) });
      this.bytesOf.set(tx.fingerprint, bytes);
    }
    if (tx.route === 'hot-folder') {
      this.hotFolder++;
      await writeFile(join(this.folder, `${tx.seq}.jpg`), bytes);
      return;
    }
    this.http++;
    const answer = await this.push(tx, bytes);
    const photoId = answer.body.photoId ?? answer.body.error?.photoId;
    id.answers.set(tx.seq, { status: answer.status, photoId, version: answer.body.version });
    const outcome: Outcome | undefined =
      answer.status === 409 && answer.body.error?.code === 'identity_owned_by_other_feed'
        ? 'refused'
        : answer.status === 200 && answer.body.duplicate
          ? 'duplicate'
          : answer.status === 202
            ? 'ok'
            : undefined;
    if (!outcome || !photoId)
      this.violations.push(`transmission ${tx.seq}: no recorded outcome (HTTP ${answer.status})`);
    else observed.set(tx.seq, outcome);
    this.outcomes[outcome ?? `http-${answer.status}`] =
      (this.outcomes[outcome ?? `http-${answer.status}`] ?? 0) + 1;
  }

  private async push(tx: Tx, bytes: Buffer) {
    const res = await fetch(`${this.ctx.stack.apiUrl}/v1/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.keys[tx.feed]}`, 'content-type': 'image/jpeg' },
      body: new Uint8Array(bytes),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await res.json()) as {
      photoId?: string;
      duplicate?: boolean;
      version?: number;
      error?: { code?: string; photoId?: string };
    };
    return { status: res.status, body };
  }

  /** Hot-folder files: each ends in _processed (taken) or _error (refused, with a reason). */
  private async hotFolderOutcomes(folderTxs: Tx[], observed: Observed): Promise<void> {
    const folder = this.folder;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const left = (await readdir(folder)).filter((f) => f.endsWith('.jpg'));
      if (left.length === 0) break;
      await sleep(100);
    }
    const processed = new Set(await readdir(join(folder, '_processed')).catch(() => [] as string[]));
    const errors = new Set(await readdir(join(folder, '_error')).catch(() => [] as string[]));
    for (const tx of folderTxs) {
      const name = `${tx.seq}.jpg`;
      if (errors.has(name)) {
        const reason = await readFile(join(folder, '_error', `${name}.reason.txt`), 'utf8').catch(() => '');
        observed.set(tx.seq, reason.startsWith('identity_owned_by_other_feed') ? 'refused' : 'ok');
        if (!reason.startsWith('identity_owned_by_other_feed'))
          this.violations.push(`hot-folder transmission ${tx.seq} rejected: ${reason.split('\n')[0]}`);
      } else if (processed.has(name)) observed.set(tx.seq, 'ok-or-duplicate');
      else
        this.violations.push(`hot-folder transmission ${tx.seq}: no recorded outcome (still in the folder)`);
    }
  }

  private async idle(): Promise<boolean> {
    const counts = (await (await this.ctx.stack.call('/v1/queues')).json()) as {
      name: string;
      waiting: number;
      active: number;
      delayed: number;
    }[];
    return counts.every(
      (q) =>
        q.waiting === 0 &&
        q.active === 0 &&
        (q.name === 'release' || q.name === 'close' || q.name === 'archive' || q.delayed === 0),
    );
  }

  private async settle(): Promise<void> {
    const deadline = Date.now() + 180_000;
    for (let calm = 0; calm < 2 && Date.now() < deadline; ) {
      calm = (await this.idle()) ? calm + 1 : 0;
      await sleep(250);
    }
    if (Date.now() >= deadline) this.violations.push('the pipeline did not settle within 180 s');
  }
}
