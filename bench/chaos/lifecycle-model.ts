/**
 * The reference model of the photo lifecycle for `npm run chaos:lifecycle`: what a newsroom
 * expects of one picture identity after a sequence of transmissions, written from the rules in
 * docs/lifecycle.md and independent of the implementation (it shares no code with
 * packages/lifecycle). Transmissions fired at the same moment may be taken in any order, so the
 * model works with the set of states every order allows, narrowed by what the stack answered.
 */

export type TxKind = 'original' | 'update' | 'correction' | 'kill' | 'release' | 'resend';
export type Route = 'http' | 'hot-folder';

/** One transmission as sent. */
export interface Tx {
  /** Unique per run. */
  seq: number;
  identity: number;
  kind: TxKind;
  feed: string;
  group: string;
  route: Route;
  /** Bytes fingerprint: equal for a resend of an earlier transmission. */
  fingerprint: string;
  /** The caption as sent (record) — corrections start with an advisory header. */
  caption: string;
  /** The caption readers see (without the header). */
  publicCaption: string;
  /** An embargo it carries (epoch ms), if any. */
  embargoUntil?: number;
}

/** What the stack answered for a transmission. */
export type Outcome = 'ok' | 'duplicate' | 'refused';

export interface ModelState {
  owner?: string;
  killed: boolean;
  /** Groups that sent a kill before any picture. */
  prekill: string[];
  current?: { seq: number; correction: boolean; caption: string; publicCaption: string };
  embargoUntil?: number;
  releasedUntil?: number;
  /** Fingerprints recorded (not refused). */
  seen: string[];
}

export const emptyState = (): ModelState => ({ killed: false, prekill: [], seen: [] });

/** Applies one transmission at time `now`: the next state and what the stack should answer. */
export function applyTx(state: ModelState, tx: Tx, now: number): { state: ModelState; outcome: Outcome } {
  if (state.seen.includes(tx.fingerprint)) return { state, outcome: 'duplicate' };
  const s: ModelState = {
    ...state,
    prekill: [...state.prekill],
    seen: [...state.seen],
    ...(state.current ? { current: { ...state.current } } : {}),
  };
  if (tx.kind === 'kill') {
    if (s.owner === undefined) {
      if (!s.prekill.includes(tx.group)) s.prekill.push(tx.group);
    } else if (s.owner !== tx.group) return { state, outcome: 'refused' };
    else s.killed = true;
    s.seen.push(tx.fingerprint);
    return { state: s, outcome: 'ok' };
  }
  if (s.owner === undefined) {
    s.owner = tx.group;
    s.killed = s.prekill.includes(tx.group);
  } else if (s.owner !== tx.group) return { state, outcome: 'refused' };
  s.seen.push(tx.fingerprint);
  if (s.killed) return { state: s, outcome: 'ok' };
  // Embargoes: a release ends the one in force; a later embargo tightens; a released one stays gone.
  if (tx.kind === 'release' && s.embargoUntil !== undefined) {
    s.releasedUntil = s.embargoUntil;
    s.embargoUntil = undefined;
  }
  if (s.embargoUntil !== undefined && s.embargoUntil <= now) s.embargoUntil = undefined;
  const floor = Math.max(now, s.releasedUntil ?? Number.NEGATIVE_INFINITY);
  if (tx.embargoUntil !== undefined && tx.embargoUntil > floor)
    s.embargoUntil = Math.max(s.embargoUntil ?? 0, tx.embargoUntil);
  // The current version: a correction beats a version that is not one; otherwise the later wins.
  const correction = tx.kind === 'correction';
  if (!s.current || correction || !s.current.correction)
    s.current = { seq: tx.seq, correction, caption: tx.caption, publicCaption: tx.publicCaption };
  return { state: s, outcome: 'ok' };
}

/** Every order of a list (for the handful of transmissions one identity gets in one wave). */
export function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

const key = (s: ModelState) =>
  JSON.stringify({ ...s, seen: [...s.seen].sort(), prekill: [...s.prekill].sort() });

/**
 * The states a set of simultaneous transmissions can leave, given the states before and what the
 * stack answered for each (`observed`, by seq; a transmission missing from it may have had any
 * outcome). Empty when no order explains the answers: a violation.
 */
export function applyWave(
  before: ModelState[],
  wave: Tx[],
  observed: ReadonlyMap<number, Outcome | 'ok-or-duplicate'>,
  now: number,
): ModelState[] {
  const out = new Map<string, ModelState>();
  for (const start of before)
    for (const order of permutations(wave)) {
      let s = start;
      let consistent = true;
      for (const tx of order) {
        const r = applyTx(s, tx, now);
        const seen = observed.get(tx.seq);
        if (seen && seen !== r.outcome && !(seen === 'ok-or-duplicate' && r.outcome !== 'refused')) {
          consistent = false;
          break;
        }
        s = r.state;
      }
      if (consistent) out.set(key(s), s);
    }
  return [...out.values()];
}

/** What the photo of an identity should look like once the pipeline settled at `now`. */
export interface Expected {
  status: 'killed' | 'embargoed' | 'published' | 'none';
  embargoUntil?: number;
  caption?: string;
  publicCaption?: string;
}

export function expectedOf(state: ModelState, now: number): Expected {
  if (state.owner === undefined) return { status: state.prekill.length > 0 ? 'killed' : 'none' };
  if (state.killed) return { status: 'killed' };
  if (state.embargoUntil !== undefined && state.embargoUntil > now)
    return { status: 'embargoed', embargoUntil: state.embargoUntil };
  return {
    status: 'published',
    caption: state.current?.caption,
    publicCaption: state.current?.publicCaption,
  };
}

/** A seeded pseudo-random generator (mulberry32), so a failing run can be replayed with its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlanOptions {
  identities: number;
  waves: number;
  /** Feeds and their groups; the first is the usual sender, the hot folder sends as `hotFolderFeed`. */
  feeds: { feed: string; group: string }[];
  hotFolderFeed: string;
  now: number;
  /** How far ahead a short embargo ends (it lifts during the run) and a long one (it does not). */
  shortEmbargoMs: number;
  longEmbargoMs: number;
}

/**
 * Random waves of transmissions for a handful of identities: originals, resends, updates,
 * corrections, kills, embargoes (short and long) and releases, mostly from each identity's own
 * feed but sometimes from another group's, over HTTP and the hot folder.
 */
export function planWaves(
  random: () => number,
  options: PlanOptions,
  nextSeq: () => number,
  caption: (identity: number, seq: number) => string,
): Tx[][] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const sent = new Map<number, Tx[]>();
  const waves: Tx[][] = [];
  const home = Array.from({ length: options.identities }, () => pick(options.feeds));
  for (let w = 0; w < options.waves; w++) {
    const wave: Tx[] = [];
    for (let id = 0; id < options.identities; id++) {
      if (w > 0 && random() < 0.35) continue;
      const count = w === 0 ? 1 + Math.floor(random() * 2) : 1 + Math.floor(random() * 3);
      for (let k = 0; k < count; k++) {
        const previous = sent.get(id) ?? [];
        const first = previous.length === 0 && k === 0;
        const kind: TxKind = first
          ? random() < 0.12
            ? 'kill'
            : 'original'
          : pick(['update', 'update', 'correction', 'correction', 'kill', 'release', 'resend'] as const);
        if (kind === 'resend' && previous.length > 0) {
          const again = { ...pick(previous), seq: nextSeq() };
          wave.push(again);
          continue;
        }
        const own = home[id] as { feed: string; group: string };
        const other = random() < 0.15;
        const sender = other ? pick(options.feeds.filter((f) => f.group !== own.group)) : own;
        // The hot folder sends as its own feed; only for later transmissions (the first is HTTP, so
        // the photo's id is known from its answer).
        const viaFolder = !first && w > 0 && random() < 0.2;
        const feed = viaFolder ? options.hotFolderFeed : sender.feed;
        const group = viaFolder
          ? (options.feeds.find((f) => f.feed === options.hotFolderFeed)?.group ?? feed)
          : sender.group;
        const seq = nextSeq();
        const embargo =
          kind !== 'kill' && kind !== 'release' && random() < 0.2
            ? options.now + (random() < 0.5 ? options.shortEmbargoMs : options.longEmbargoMs) + seq
            : undefined;
        const text = caption(id, seq);
        const tx: Tx = {
          seq,
          identity: id,
          kind: kind === 'resend' ? 'update' : kind,
          feed,
          group,
          route: viaFolder ? 'hot-folder' : 'http',
          fingerprint: `fp-${seq}`,
          caption: kind === 'correction' ? `CORRECTS NAME ${text}` : text,
          publicCaption: text,
          ...(embargo !== undefined ? { embargoUntil: embargo } : {}),
        };
        wave.push(tx);
        previous.push(tx);
        sent.set(id, previous);
      }
    }
    waves.push(wave);
  }
  return waves;
}
