import type { MatchDecision, PhotoStatus } from '@lightbox/contracts';

/**
 * The photo lifecycle as a state machine (docs/lifecycle.md). Pure: given what the record says
 * and an event, it answers with the next status, the fields that change with it and the work the
 * change sets off, or refuses. `PhotoLifecycle` (packages/catalog) carries the answer out by
 * compare-and-set; nothing else writes a photo's status.
 */

/** Statuses no event leaves (a kill still applies to `expired`, see `kill`). */
export const FINAL_STATUSES: ReadonlySet<PhotoStatus> = new Set(['rejected', 'killed', 'expired']);
/** Statuses whose photo is waiting for something other than the pipeline: time or an editor. */
export const WAITING_STATUSES: ReadonlySet<PhotoStatus> = new Set(['embargoed', 'held']);
/** Statuses the matcher may (re)decide. */
export const MATCHABLE_STATUSES: ReadonlySet<PhotoStatus> = new Set([
  'received',
  'matched',
  'published',
  'review',
  'unmatched',
]);
/** Statuses whose renditions are public and whose photo a gallery may show. */
export const PUBLIC_STATUSES: ReadonlySet<PhotoStatus> = new Set(['matched', 'published']);

/** What the lifecycle needs to know of a photo. */
export interface LifecycleState {
  status: PhotoStatus;
  version: number;
  embargoUntil?: string;
  hold?: string;
  /** An editor decided the photo's story (and how): automatic matching leaves it alone. */
  manual?: 'assign' | 'unassign' | 'reject';
  storyId?: string;
  /** Renditions exist (they are public unless the photo is embargoed or held). */
  rendered?: boolean;
  /** Why an editor must decide the story (AI or synthetic media…): never matched automatically. */
  reviewReason?: string;
  /** When the licence runs out (ISO); only then may the photo expire. */
  expiresAt?: string;
  /** When a gallery first showed the photo. */
  publishedAt?: string;
}

export type LifecycleEvent =
  /** A stage found the bytes unusable (truncated, too many pixels, not decodable). */
  | { type: 'reject'; reason: string }
  /** The matcher's decision. */
  | { type: 'auto-match'; decision: MatchDecision; storyId: string | null }
  /** A new version of a photo an editor decided goes where the editor put it. */
  | { type: 'keep-decision' }
  /** A gallery now shows the photo. */
  | { type: 'published' }
  /** The licence ran out (`at`: the sweep's time; refused unless `expiresAt` has passed by then). */
  | { type: 'expire'; reason: string; at: string }
  | { type: 'kill'; reason: string; at: string }
  /** The embargo's time has passed (the release timer fired). */
  | { type: 'embargo-lapsed'; at: string }
  /** The owning feed or an editor lifted the embargo before its time. */
  | { type: 'release-embargo'; by: string; at: string }
  /** An editor cleared a hold. */
  | { type: 'release-hold'; by: string }
  /** An editor put the photo in a story. */
  | { type: 'assign'; storyId: string; by: string }
  /** An editor took the photo out of every story (unassign, or reject from review). */
  | { type: 'set-aside'; by: string };

/** Work a transition sets off, carried out after it is recorded. */
export type LifecycleEffect =
  /**
   * Make the current version's renditions (render stage): the pipeline's first step after intake,
   * which read the metadata and image header already.
   */
  | { kind: 'render' }
  /** Decide the photo's story. */
  | { kind: 'match' }
  /** Republish a story's gallery. */
  | { kind: 'publish'; storyId: string }
  /**
   * Take the photo out of public view: galleries republished without it, renditions deleted, and
   * for a kill or expiry, subscribers told once that is done.
   */
  | { kind: 'takedown'; why: 'kill' | 'expire' | 'withdraw' }
  /** Lift the embargo at this time. */
  | { kind: 'release-at'; at: string };

/** Fields that change with a transition; `null` removes a field. */
export interface LifecyclePatch {
  status: PhotoStatus;
  embargoUntil?: string | null;
  embargoReleased?: { at: string; by: string; until?: string } | null;
  hold?: string | null;
  killed?: { at: string; reason: string };
  expired?: { at: string; reason: string };
  error?: string | null;
  publishedAt?: string;
}

export type TransitionResult =
  | { ok: true; patch: LifecyclePatch; effects: LifecycleEffect[] }
  | { ok: false; code: 'not_allowed' | 'unchanged'; message: string };

const refuse = (message: string): TransitionResult => ({ ok: false, code: 'not_allowed', message });
const unchanged = (message: string): TransitionResult => ({ ok: false, code: 'unchanged', message });

/** Take-down work when a photo leaves public view from a state that may have shown it. */
function takedownIfShown(state: LifecycleState, why: 'kill' | 'expire' | 'withdraw'): LifecycleEffect[] {
  // A kill or expiry always runs it (subscribers are told once it is done); a withdrawal only
  // when something may be public.
  if (why !== 'withdraw') return [{ kind: 'takedown', why }];
  return state.rendered || state.storyId ? [{ kind: 'takedown', why }] : [];
}

/** Where a photo goes when it stops waiting: into the pipeline again at the step it still needs. */
function resume(state: LifecycleState): LifecycleEffect[] {
  return [{ kind: state.rendered ? 'match' : 'render' }];
}

type EventOf<T extends LifecycleEvent['type']> = Extract<LifecycleEvent, { type: T }>;
type Rule<T extends LifecycleEvent['type']> = (
  state: LifecycleState,
  event: EventOf<T>,
  now: number,
) => TransitionResult;

/** One rule per event: what it does from each status. */
const RULES: { [T in LifecycleEvent['type']]: Rule<T> } = {
  kill(state, event) {
    if (state.status === 'killed') return unchanged('already killed');
    // A kill wins over everything, an expired licence included.
    return {
      ok: true,
      patch: { status: 'killed', killed: { at: event.at, reason: event.reason } },
      effects: takedownIfShown(state, 'kill'),
    };
  },

  expire(state, event) {
    if (FINAL_STATUSES.has(state.status)) return unchanged(`already ${state.status}`);
    if (!state.expiresAt) return refuse('the photo has no licence expiry');
    if (Date.parse(state.expiresAt) > Date.parse(event.at))
      return refuse(`the licence runs until ${state.expiresAt}`);
    return {
      ok: true,
      patch: { status: 'expired', expired: { at: event.at, reason: event.reason } },
      effects: takedownIfShown(state, 'expire'),
    };
  },

  reject(state, event) {
    if (state.status !== 'received' && !WAITING_STATUSES.has(state.status))
      return refuse(`a ${state.status} photo is not being read`);
    return {
      ok: true,
      patch: { status: 'rejected', error: event.reason },
      effects: takedownIfShown(state, 'withdraw'),
    };
  },

  'auto-match'(state, event, now) {
    const { status } = state;
    if (!MATCHABLE_STATUSES.has(status)) return refuse(`a ${status} photo is not matched`);
    if (state.manual) return refuse('an editor decided this photo');
    if (state.embargoUntil && Date.parse(state.embargoUntil) > now)
      return refuse(`embargoed until ${state.embargoUntil}`);
    if (event.decision === 'matched' && state.reviewReason)
      return refuse(`an editor decides this photo's story: ${state.reviewReason}`);
    const stays = event.decision === 'matched' && event.storyId === state.storyId && status === 'published';
    const effects: LifecycleEffect[] = [];
    const next = event.decision === 'matched' ? (event.storyId ?? undefined) : undefined;
    if (state.storyId && state.storyId !== next) effects.push({ kind: 'publish', storyId: state.storyId });
    if (next) effects.push({ kind: 'publish', storyId: next });
    return { ok: true, patch: { status: stays ? 'published' : event.decision }, effects };
  },

  'keep-decision'(state) {
    const { status } = state;
    if (!state.manual) return refuse('no editor decided this photo');
    if (!MATCHABLE_STATUSES.has(status)) return refuse(`a ${status} photo is not matched`);
    if (state.manual !== 'assign' || !state.storyId)
      return status === 'unmatched'
        ? unchanged('already set aside')
        : { ok: true, patch: { status: 'unmatched' }, effects: [] };
    // Republished with the new version (a published photo stays published).
    return {
      ok: true,
      patch: { status: status === 'published' ? 'published' : 'matched' },
      effects: [{ kind: 'publish', storyId: state.storyId }],
    };
  },

  published(state, _event, now) {
    if (state.status === 'published') return unchanged('already published');
    if (state.status !== 'matched') return refuse(`a ${state.status} photo is not published`);
    return {
      ok: true,
      patch: {
        status: 'published',
        ...(state.publishedAt ? {} : { publishedAt: new Date(now).toISOString() }),
      },
      effects: [],
    };
  },

  'embargo-lapsed'(state, event) {
    if (state.status !== 'embargoed') return unchanged(`not embargoed (${state.status})`);
    if (state.embargoUntil && Date.parse(state.embargoUntil) > Date.parse(event.at))
      return refuse(`embargoed until ${state.embargoUntil}`);
    return {
      ok: true,
      patch: { status: state.hold ? 'held' : 'received' },
      effects: state.hold ? [] : resume(state),
    };
  },

  'release-embargo'(state, event) {
    if (state.status !== 'embargoed') return refuse(`a ${state.status} photo is not embargoed`);
    return {
      ok: true,
      patch: {
        status: state.hold ? 'held' : 'received',
        embargoUntil: null,
        embargoReleased: {
          at: event.at,
          by: event.by,
          ...(state.embargoUntil ? { until: state.embargoUntil } : {}),
        },
      },
      effects: state.hold ? [] : resume(state),
    };
  },

  'release-hold'(state) {
    if (state.status !== 'held') return refuse(`a ${state.status} photo is not held`);
    return { ok: true, patch: { status: 'received', hold: null }, effects: resume(state) };
  },

  assign(state, event) {
    const { status } = state;
    if (FINAL_STATUSES.has(status)) return refuse(`a ${status} photo cannot be assigned`);
    if (status === 'embargoed')
      return refuse(
        `embargoed until ${state.embargoUntil ?? '(unknown)'}; release the embargo first, or it is matched when it lifts`,
      );
    // A photo not rendered yet (still being read, or held) is rendered first; the matcher keeps
    // the editor's decision and publishes it then.
    const effects: LifecycleEffect[] = state.rendered || status === 'received' ? [] : [{ kind: 'render' }];
    if (state.storyId && state.storyId !== event.storyId)
      effects.push({ kind: 'publish', storyId: state.storyId });
    effects.push({ kind: 'publish', storyId: event.storyId });
    // Assigning a held photo is the editor's decision that it may be published: the hold goes.
    return { ok: true, patch: { status: 'matched', hold: null }, effects };
  },

  'set-aside'(state) {
    const { status } = state;
    if (FINAL_STATUSES.has(status)) return refuse(`a ${status} photo cannot be set aside`);
    if (WAITING_STATUSES.has(status)) return refuse(`a ${status} photo is not in a story`);
    const effects: LifecycleEffect[] = state.storyId ? [{ kind: 'publish', storyId: state.storyId }] : [];
    return { ok: true, patch: { status: 'unmatched' }, effects };
  },
};

export function transition(state: LifecycleState, event: LifecycleEvent, now: number): TransitionResult {
  return (RULES[event.type] as Rule<typeof event.type>)(state, event as never, now);
}

/**
 * The matcher's outcome for a photo an editor must decide (`reviewReason`: AI or synthetic media,
 * credentials under a review policy): a match becomes a review, the reason first. The lifecycle
 * refuses an automatic `matched` for such a photo, so this is what the match stage records.
 */
export function withEditorReview<T extends { decision: MatchDecision; reasons: string[] }>(
  outcome: T,
  reviewReason: string | undefined,
): T {
  if (!reviewReason || outcome.decision === 'unmatched') return outcome;
  const reasons = outcome.reasons.includes(reviewReason)
    ? outcome.reasons
    : [reviewReason, ...outcome.reasons];
  return { ...outcome, decision: 'review', reasons };
}
