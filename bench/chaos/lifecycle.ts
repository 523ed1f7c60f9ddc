/**
 * The lifecycle's model-based concurrency suite: random waves of originals, resends, updates,
 * corrections, kills, embargoes and releases from several feeds (HTTP and a hot folder), for a
 * handful of picture identities at a time, fired concurrently at the real stack (redis-server,
 * s3rver, API, hot folder, 2 worker processes), then checked against the reference model
 * (lifecycle-model.ts) and against invariants that need no model at all.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GalleryManifest } from '@lightbox/contracts';
import { spliceJpegMetadata } from '@lightbox/imaging';
import { S3ObjectStore } from '@lightbox/storage';
import { tempDir } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { type LocalStack, startLocalStack } from '../support/local-stack.js';
import {
  applyWave,
  type Expected,
  emptyState,
  expectedOf,
  type ModelState,
  type Outcome,
  planWaves,
  prng,
  type Tx,
} from './lifecycle-model.js';

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

const FEEDS = [
  { feed: 'ap', group: 'ap' },
  { feed: 'ap2', group: 'ap' },
  { feed: 'rtr', group: 'rtr' },
  { feed: 'afp', group: 'afp' },
];
const STORY = {
  slug: 'lifecycle-cup-final',
  headline: 'Lifecycle Cup final',
  event: {
    name: 'Lifecycle Cup final',
    venue: 'Stade Lumière',
    city: 'Lyon',
    country: 'France',
    start: '2024-09-01T18:00:00+02:00',
    end: '2024-09-01T23:30:00+02:00',
  },
};
const IDENTITIES_PER_ROUND = 6;
const WAVES_PER_ROUND = 4;
const SHORT_EMBARGO_MS = 12_000;
const LONG_EMBARGO_MS = 3 * 3600_000;
/** An embargo this close to the check time may or may not have been lifted yet. */
const SLACK_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A small picture of its own per identity (noise in the identity's colours): no two are alike. */
async function basePicture(identity: number): Promise<Buffer> {
  const [w, h] = [320, 240];
  const raw = Buffer.alloc(w * h * 3);
  let seed = identity * 7919 + 17;
  for (let i = 0; i < raw.length; i += 3) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const x = (i / 3) % w;
    raw[i] = (x + (seed % 60) + identity * 53) % 256;
    raw[i + 1] = ((seed >> 8) % 60) + ((identity * 97) % 190);
    raw[i + 2] = (255 - x + ((seed >> 16) % 60)) % 256;
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 70 })
    .toBuffer();
}

function xmpFor(tx: Tx, guid: string, dateCreated: string): string {
  const instructions =
    tx.kind === 'kill'
      ? 'MANDATORY KILL'
      : tx.kind === 'release'
        ? 'EMBARGO LIFTED'
        : tx.embargoUntil !== undefined
          ? `EMBARGOED UNTIL ${new Date(tx.embargoUntil).toISOString()}`
          : '';
  const caption = tx.kind === 'kill' ? `MANDATORY KILL. ${tx.caption}` : tx.caption;
  return `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(caption)}</rdf:li></rdf:Alt></dc:description>
<photoshop:City>Lyon</photoshop:City><photoshop:Country>France</photoshop:Country>
<photoshop:Credit>AP</photoshop:Credit><photoshop:DateCreated>${dateCreated}</photoshop:DateCreated>
${instructions ? `<photoshop:Instructions>${xml(instructions)}</photoshop:Instructions>` : ''}
<Iptc4xmpExt:Event><rdf:Alt><rdf:li xml:lang="x-default">Lifecycle Cup final</rdf:li></rdf:Alt></Iptc4xmpExt:Event>
<Iptc4xmpExt:DigImageGUID>${guid}</Iptc4xmpExt:DigImageGUID>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

/** What `GET /v1/photos/:id` says, as far as the checks read it. */
interface PhotoRecord {
  status: string;
  feed: string;
  embargoUntil: string | null;
  metadata: { caption?: string };
  versions: { version: number }[];
}

interface IdentityRun {
  index: number;
  guid: string;
  dateCreated: string;
  base: Buffer;
  states: ModelState[];
  /** HTTP answers (photo ids) by transmission seq. */
  answers: Map<number, { status: number; photoId?: string; version?: number }>;
  txs: Tx[];
}

export async function runLifecycleChaos(options: LifecycleChaosOptions): Promise<LifecycleChaosReport> {
  const started = Date.now();
  const random = prng(options.seed);
  const run = randomBytes(3).toString('hex');
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
  const violations: string[] = [];
  const outcomes: Record<string, number> = {};
  const identities: IdentityRun[] = [];
  let seq = 0;
  let http = 0;
  let hotFolder = 0;
  let rounds = 0;
  const bytesOf = new Map<string, Buffer>();

  const push = async (tx: Tx, bytes: Buffer) => {
    const res = await fetch(`${stack.apiUrl}/v1/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys[tx.feed]}`, 'content-type': 'image/jpeg' },
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
  };
  const idle = async () => {
    const counts = (await (await stack.call('/v1/queues')).json()) as {
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
  };
  const settle = async () => {
    const deadline = Date.now() + 180_000;
    for (let calm = 0; calm < 2 && Date.now() < deadline; ) {
      calm = (await idle()) ? calm + 1 : 0;
      await sleep(250);
    }
    if (Date.now() >= deadline) violations.push('the pipeline did not settle within 180 s');
  };

  try {
    const story = await stack.call('/v1/stories', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(STORY),
    });
    const storyId = ((await story.json()) as { id: string }).id;

    while (seq < options.transmissions) {
      rounds++;
      const first = identities.length;
      const round: IdentityRun[] = [];
      for (let i = 0; i < IDENTITIES_PER_ROUND; i++) {
        const index = first + i;
        const minute = index % 240;
        const t = new Date(Date.parse('2024-09-01T19:00:00+02:00') + minute * 60_000 + (index % 7) * 8000);
        round.push({
          index,
          guid: `urn:lightbox:chaos:${run}:${index}`,
          dateCreated: `${new Date(t.getTime() + 2 * 3600_000).toISOString().slice(0, 19)}+02:00`,
          base: await basePicture(index),
          states: [emptyState()],
          answers: new Map(),
          txs: [],
        });
      }
      identities.push(...round);
      const waves = planWaves(
        random,
        {
          identities: IDENTITIES_PER_ROUND,
          waves: WAVES_PER_ROUND,
          feeds: FEEDS,
          hotFolderFeed: 'ap',
          now: Date.now(),
          shortEmbargoMs: SHORT_EMBARGO_MS,
          longEmbargoMs: LONG_EMBARGO_MS,
        },
        () => ++seq,
        (id, s) =>
          `Frame ${run}-${first + id} v${s}: flag bearers at the Lifecycle Cup final in the Stade Lumière, Lyon.`,
      );
      for (const wave of waves) {
        const now = Date.now();
        const observed = new Map<number, Outcome | 'ok-or-duplicate'>();
        const firing = wave.map(async (tx) => {
          const id = round[tx.identity] as IdentityRun;
          id.txs.push(tx);
          let bytes = bytesOf.get(tx.fingerprint);
          if (!bytes) {
            bytes = spliceJpegMetadata(id.base, { xmp: xmpFor(tx, id.guid, id.dateCreated) });
            bytesOf.set(tx.fingerprint, bytes);
          }
          if (tx.route === 'hot-folder') {
            hotFolder++;
            await writeFile(join(folder.path, `${tx.seq}.jpg`), bytes);
            return;
          }
          http++;
          const answer = await push(tx, bytes);
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
            violations.push(`transmission ${tx.seq}: no recorded outcome (HTTP ${answer.status})`);
          else observed.set(tx.seq, outcome);
          outcomes[outcome ?? `http-${answer.status}`] =
            (outcomes[outcome ?? `http-${answer.status}`] ?? 0) + 1;
        });
        await Promise.all(firing);
        // Hot-folder files: each ends in _processed (taken) or _error (refused, with a reason).
        const folderTxs = wave.filter((tx) => tx.route === 'hot-folder');
        if (folderTxs.length > 0) {
          const deadline = Date.now() + 60_000;
          while (Date.now() < deadline) {
            const left = (await readdir(folder.path)).filter((f) => f.endsWith('.jpg'));
            if (left.length === 0) break;
            await sleep(100);
          }
          const processed = new Set(
            await readdir(join(folder.path, '_processed')).catch(() => [] as string[]),
          );
          const errors = new Set(await readdir(join(folder.path, '_error')).catch(() => [] as string[]));
          for (const tx of folderTxs) {
            const name = `${tx.seq}.jpg`;
            if (errors.has(name)) {
              const reason = await readFile(join(folder.path, '_error', `${name}.reason.txt`), 'utf8').catch(
                () => '',
              );
              observed.set(tx.seq, reason.startsWith('identity_owned_by_other_feed') ? 'refused' : 'ok');
              if (!reason.startsWith('identity_owned_by_other_feed'))
                violations.push(`hot-folder transmission ${tx.seq} rejected: ${reason.split('\n')[0]}`);
            } else if (processed.has(name)) observed.set(tx.seq, 'ok-or-duplicate');
            else
              violations.push(`hot-folder transmission ${tx.seq}: no recorded outcome (still in the folder)`);
          }
        }
        for (const id of round) {
          const mine = wave.filter((tx) => round[tx.identity] === id);
          if (mine.length === 0) continue;
          const next = applyWave(id.states, mine, observed, now);
          if (next.length === 0)
            violations.push(
              `identity ${id.index}: no order of transmissions ${mine.map((t) => `${t.seq}:${t.kind}/${t.group}`).join(', ')} explains the answers ${mine.map((t) => observed.get(t.seq)).join(', ')}`,
            );
          id.states = next.length > 0 ? next : id.states;
        }
      }
      await settle();
      const before = violations.length;
      await checkIdentities(round, storyId, Date.now());
      for (const v of violations.slice(before)) options.say(`  violation: ${v}`);
      options.say(
        `round ${rounds}: ${seq} transmissions so far, ${violations.length} violation(s), ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    }
    // Short embargoes lift during the run: wait for the last, then check everything once more.
    const lastShort = Math.max(
      0,
      ...identities
        .flatMap((id) => id.txs.map((t) => t.embargoUntil ?? 0))
        .filter((t) => t < Date.now() + LONG_EMBARGO_MS / 2),
    );
    if (lastShort > Date.now()) await sleep(lastShort - Date.now() + 1000);
    await settle();
    await checkIdentities(identities, storyId, Date.now());
  } finally {
    redis.disconnect();
    store.destroy();
    await stack.stop();
    await folder.remove();
  }
  return {
    seed: options.seed,
    transmissions: seq,
    http,
    hotFolder,
    identities: identities.length,
    rounds,
    outcomes,
    violations,
    durationS: Math.round((Date.now() - started) / 1000),
  };

  /** Compares what the stack shows with the model, and checks the invariants that need no model. */
  async function checkIdentities(list: IdentityRun[], storyId: string, at: number): Promise<void> {
    const manifestRes = await fetch(store.publicUrl(`galleries/${storyId}/gallery.json`));
    const manifest = manifestRes.ok ? ((await manifestRes.json()) as GalleryManifest) : undefined;
    if (!manifest)
      violations.push(`the gallery manifest cannot be read at its public URL (${manifestRes.status})`);
    const shown = new Map<string, string | null>();
    for (const p of manifest?.photos ?? []) {
      shown.set(p.photoId, p.caption);
      for (const a of p.alternates) shown.set(a.photoId, null);
    }
    const feedXml = await (await fetch(store.publicUrl(`galleries/${storyId}/feed.xml`)))
      .text()
      .catch(() => '');
    for (const id of list) {
      const ownerId = (await redis.get(`lightbox:state:identity:guid:${id.guid}`)) ?? undefined;
      const photoIds = new Set([
        ...(ownerId ? [ownerId] : []),
        ...[...id.answers.values()]
          .filter((a) => a.status !== 409 && a.photoId)
          .map((a) => a.photoId as string),
      ]);
      // Invariants: whatever the order, nothing killed, embargoed or held is public.
      const records = new Map<string, PhotoRecord>();
      for (const photoId of photoIds) {
        const res = await stack.call(`/v1/photos/${photoId}`);
        if (res.status !== 200) {
          violations.push(`identity ${id.index}: photo ${photoId} answered ${res.status}`);
          continue;
        }
        const p = (await res.json()) as PhotoRecord;
        records.set(photoId, p);
        const renditions = await store.list(`renditions/${photoId}/`);
        if (['killed', 'embargoed', 'held', 'expired', 'rejected'].includes(p.status)) {
          if (shown.has(photoId))
            violations.push(`identity ${id.index}: ${p.status} photo ${photoId} is in the gallery`);
          if (feedXml.includes(photoId))
            violations.push(`identity ${id.index}: ${p.status} photo ${photoId} is in feed.xml`);
          if (renditions.length > 0)
            violations.push(
              `identity ${id.index}: ${p.status} photo ${photoId} still has renditions ${renditions.join(', ')}`,
            );
          if (p.status === 'embargoed' && p.embargoUntil && Date.parse(p.embargoUntil) < at - SLACK_MS)
            violations.push(
              `identity ${id.index}: embargo of ${photoId} ended at ${p.embargoUntil} but it is still held back`,
            );
        }
        if (p.status === 'published' && !shown.has(photoId))
          violations.push(`identity ${id.index}: published photo ${photoId} is not in the gallery`);
      }
      // Exactly one photo holds a feed-owned identity: every accepted picture answer names it.
      if (ownerId) {
        for (const [s, a] of id.answers) {
          const tx = id.txs.find((t) => t.seq === s);
          if (!tx || a.status === 409 || tx.kind === 'kill') continue;
          const ownerGroup = FEEDS.find((f) => f.feed === records.get(ownerId)?.feed)?.group;
          if (tx.group === ownerGroup && a.photoId !== ownerId)
            violations.push(
              `identity ${id.index}: transmission ${s} went to ${a.photoId}, the identity belongs to ${ownerId}`,
            );
        }
        for (const [s, a] of id.answers) {
          if (a.photoId !== ownerId || a.version === undefined) continue;
          const versions = records.get(ownerId)?.versions ?? [];
          if (!versions.some((v) => v.version === a.version))
            violations.push(
              `identity ${id.index}: transmission ${s} (version ${a.version}) is not in the photo's history`,
            );
        }
      }
      // The model: some order allowed by the answers must explain what is shown.
      const owner = ownerId ? records.get(ownerId) : undefined;
      const explained = id.states.some((state) => {
        const candidates: Expected[] = [expectedOf(state, at)];
        if (state.embargoUntil && Math.abs(state.embargoUntil - at) < SLACK_MS)
          candidates.push(
            expectedOf(state, state.embargoUntil + 1),
            expectedOf(state, state.embargoUntil - 1),
          );
        return candidates.some((e) => matches(e, state, owner, ownerId, shown));
      });
      if (!explained)
        violations.push(
          `identity ${id.index}: shown ${owner ? `${owner.status} "${owner.metadata.caption ?? ''}" (${ownerId}, in gallery: ${ownerId ? shown.has(ownerId) : false})` : 'nothing'}; the model expects one of ${id.states.map((s) => JSON.stringify(expectedOf(s, at))).join(' | ')}`,
        );
    }
  }

  function matches(
    e: Expected,
    state: ModelState,
    owner: PhotoRecord | undefined,
    ownerId: string | undefined,
    shown: Map<string, string | null>,
  ): boolean {
    if (e.status === 'none' || (e.status === 'killed' && state.owner === undefined))
      return owner === undefined;
    if (!owner || !ownerId) return false;
    if (FEEDS.find((f) => f.feed === owner.feed)?.group !== state.owner) return false;
    if (e.status === 'killed') return owner.status === 'killed';
    if (e.status === 'embargoed')
      return owner.status === 'embargoed' && Date.parse(owner.embargoUntil ?? '') === e.embargoUntil;
    return (
      owner.status === 'published' &&
      owner.metadata.caption === e.caption &&
      (shown.get(ownerId) === e.publicCaption || shown.get(ownerId) === null)
    );
  }
}
