import type { PhotoLicence, PhotoStatus, VersionKind, VersionOutcome } from '@lightbox/contracts';
import { type EmbargoReading, type LicenceExpiry, photoLicenceExpiry } from '@lightbox/wire-rules';
import { type LifecycleEffect, PUBLIC_STATUSES } from './machine.js';

/**
 * What an arriving transmission means for the photo it names, decided from a snapshot of what
 * the catalog holds under its identity (`IdentityView`). Pure: the catalog records the decision
 * by compare-and-set against the same snapshot, and decides again if anything changed meanwhile,
 * so every arrival order and any number of intake processes give the same answer as one at a time.
 *
 * Rules (docs/lifecycle.md):
 * - the same transmission twice is a duplicate and changes nothing;
 * - a picture identity belongs to the feed group that first sent a picture under it; another
 *   group's version or kill is refused (`identity_owned_by_other_feed`) and changes nothing;
 * - a kill wins over every version, whenever it arrives; a kill for a picture not seen yet is kept
 *   (with its caption) for its feed group, and the picture is recorded killed when it arrives;
 * - a correction supersedes the version it corrects even when it arrives first; otherwise a
 *   numbered (NewsML) version beats a lower number, and the later arrival wins;
 * - embargoes only tighten: a later version cannot shorten or drop one; the embargo ends when its
 *   time passes, on an explicit release from the owning feed, or by an editor;
 * - a version that becomes current brings its own licence: expired already, the photo is `expired`
 *   (taken down if it was shown); a hold it brings (credentials that do not verify) waits for an
 *   editor like an unreadable embargo;
 * - a version whose bytes cannot be used never replaces a usable picture: it is recorded as
 *   `rejected` (its embargo still counts) and the current version stays; a kill still kills.
 */

export type TransmissionMarker = 'none' | 'correction' | 'kill' | 'release';

export interface TransmissionFacts {
  /** The feed that sent it, and the group that feed belongs to (the feed itself without one). */
  feed: string;
  group: string;
  marker: TransmissionMarker;
  /** Why it is a kill, correction or release, quoted from the metadata. */
  reason?: string;
  identityKeys: string[];
  embargo: EmbargoReading;
  itemVersion?: number;
  /** Arrival time, ISO. */
  at: string;
  /** This version must wait for an editor if it becomes current (e.g. Content Credentials that do not verify). */
  hold?: string;
  /** What this version's licence expiry is computed from (counted from the photo's first arrival). */
  licence?: PhotoLicence;
  /** Why this version's bytes cannot be used (an unreadable or over-limit image), when they cannot. */
  unusable?: string;
}

/** A photo as the decision sees it. */
export interface PhotoView {
  photoId: string;
  /** Owning feed group (of the feed that created the record). */
  group: string;
  status: PhotoStatus;
  version: number;
  embargoUntil?: string;
  hold?: string;
  currentKind?: VersionKind;
  currentItemVersion?: number;
  /** Renditions exist. */
  rendered?: boolean;
  storyId?: string;
  /** False while the record holds only kill notices (a kill that came before its picture). */
  hasPicture: boolean;
  /** The embargo the owning feed or an editor released early: older copies of it do not return. */
  releasedUntil?: string;
  /** First arrival (ISO): the feed's expiry rule counts from it. */
  receivedAt?: string;
  /** When a gallery first showed it. */
  publishedAt?: string;
}

export interface IdentityView {
  /** The photo that already holds exactly this transmission. */
  duplicateOf?: { photoId: string };
  /** The photo that owns one of the transmission's identity keys. */
  owner?: PhotoView;
  /** A kill notice from the sender's group for this identity, its picture not seen yet. */
  prekill?: PhotoView;
  /** A kill tombstone written before feed groups existed (any group): the picture arrives killed. */
  legacyKill?: { reason: string; at: string };
}

/** Fields of the record that follow from an applied version. */
export interface VersionState {
  status: PhotoStatus;
  embargoUntil?: string;
  hold?: string;
  killed?: { at: string; reason: string };
  /** Set when the licence of the version that became current had already run out. */
  expired?: { at: string; reason: string };
  /** Set when this transmission released the embargo in force (its time). */
  releasedUntil?: string;
}

export type TransmissionDecision =
  | { outcome: 'duplicate'; photoId: string }
  | { outcome: 'refused'; code: string; message: string }
  /** A new photo record. `identity` claims the identity keys; `prekill` files them as a kill notice. */
  | {
      outcome: 'new';
      kind: VersionKind;
      versionOutcome: VersionOutcome;
      state: VersionState;
      keys: 'identity' | 'prekill' | 'none';
      /** The licence expiry of this version (when it is current). */
      expiry?: LicenceExpiry;
      effects: LifecycleEffect[];
    }
  /** A version of an existing photo; `state` is set when it changes the record. */
  | {
      outcome: 'version';
      photoId: string;
      kind: VersionKind;
      versionOutcome: VersionOutcome;
      state?: VersionState;
      /** The record becomes the identity's owner (a picture arriving for a kill notice). */
      claimIdentity: boolean;
      /** The licence expiry of this version, when it became current. */
      expiry?: LicenceExpiry;
      effects: LifecycleEffect[];
    };

/** Whether a version of this kind, numbered so, supersedes the current one. */
export function supersedes(
  incoming: { kind: VersionKind; itemVersion?: number },
  current: { kind?: VersionKind; itemVersion?: number },
): boolean {
  if (incoming.itemVersion !== undefined && current.itemVersion !== undefined)
    return incoming.itemVersion >= current.itemVersion;
  return !(current.kind === 'correction' && incoming.kind !== 'correction');
}

/**
 * The embargo after a version: never earlier than the one in force. A release ends the one in
 * force, and an embargo no later than one already released does not come back with an older copy.
 */
export function stickyEmbargo(
  inForce: string | undefined,
  incoming: EmbargoReading,
  options: { release: boolean; releasedUntil?: string; now: number },
): string | undefined {
  const { release, releasedUntil, now } = options;
  const floor = Math.max(now, releasedUntil ? Date.parse(releasedUntil) : Number.NEGATIVE_INFINITY);
  const times = [release ? undefined : inForce, incoming.state === 'until' ? incoming.until : undefined];
  return times
    .filter((t): t is string => t !== undefined && Date.parse(t) > floor)
    .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

/** A hold, once set, stays until an editor clears it; an unreadable embargo sets one. */
export function stickyHold(inForce: string | undefined, incoming: EmbargoReading): string | undefined {
  if (inForce) return inForce;
  return incoming.state === 'unreadable' ? `embargo time not understood: "${incoming.text}"` : undefined;
}

const versionKind = (marker: TransmissionMarker, isFirst: boolean): VersionKind =>
  marker === 'kill'
    ? 'kill'
    : marker === 'correction'
      ? 'correction'
      : marker === 'release'
        ? 'release'
        : isFirst
          ? 'original'
          : 'update';

/** The status a photo takes when a version becomes current: it waits for its embargo or hold first. */
function waitingOrReceived(embargoUntil: string | undefined, hold: string | undefined): PhotoStatus {
  if (embargoUntil) return 'embargoed';
  if (hold) return 'held';
  return 'received';
}

const optional = (embargoUntil: string | undefined, hold: string | undefined) => ({
  ...(embargoUntil ? { embargoUntil } : {}),
  ...(hold ? { hold } : {}),
});

export function decideTransmission(
  view: IdentityView,
  tx: TransmissionFacts,
  now: number,
): TransmissionDecision {
  if (view.duplicateOf) return { outcome: 'duplicate', photoId: view.duplicateOf.photoId };
  const owner = view.owner;
  if (owner && owner.group !== tx.group)
    return {
      outcome: 'refused',
      code: 'identity_owned_by_other_feed',
      message: `the picture identity belongs to ${owner.photoId}, first sent by feed ${owner.group}; a transmission from ${tx.group} cannot change it`,
    };
  const target = owner ?? view.prekill;
  if (!target) return decideNew(view, tx, now);

  const kind = versionKind(tx.marker, false);
  const claimIdentity = !owner && tx.marker !== 'kill';
  const version = { outcome: 'version' as const, photoId: target.photoId, kind, claimIdentity };
  if (target.status === 'killed' || (target.status === 'expired' && tx.marker !== 'kill')) {
    // Recorded, never published. A picture arriving for its kill notice is killed on arrival:
    // subscribers hear of it once the record holds the picture.
    const firstPicture = target.status === 'killed' && !target.hasPicture && tx.marker !== 'kill';
    return {
      ...version,
      versionOutcome: 'recorded',
      effects: firstPicture ? [{ kind: 'takedown', why: 'kill' }] : [],
    };
  }
  if (tx.marker === 'kill') {
    return {
      ...version,
      versionOutcome: 'killed',
      state: { status: 'killed', killed: { at: tx.at, reason: tx.reason ?? 'kill notice' } },
      effects: [{ kind: 'takedown', why: 'kill' }],
    };
  }
  // Embargo and hold follow every version, current or not: they only tighten, and a release from
  // the owning feed ends the embargo in force whatever content it carries. A hold about the
  // version's own bytes (its credentials) counts only when it becomes current.
  const supersedesCurrent = supersedes(
    { kind, itemVersion: tx.itemVersion },
    { kind: target.currentKind, itemVersion: target.currentItemVersion },
  );
  const keepsPicture = tx.unusable !== undefined && target.hasPicture && target.status !== 'rejected';
  const current = supersedesCurrent && !keepsPicture;
  const release = tx.marker === 'release' && target.embargoUntil !== undefined;
  const embargoUntil = stickyEmbargo(target.embargoUntil, tx.embargo, {
    release,
    releasedUntil: target.releasedUntil,
    now,
  });
  const hold = stickyHold(target.hold, tx.embargo) ?? (current ? tx.hold : undefined);
  const released = release ? { releasedUntil: target.embargoUntil as string } : {};
  const wasShown = PUBLIC_STATUSES.has(target.status) || target.rendered === true;
  const waiting = waitingOrReceived(embargoUntil, hold);
  const newEmbargo = embargoUntil && embargoUntil !== target.embargoUntil;

  if (current) {
    const expiry = photoLicenceExpiry({
      receivedAt: target.receivedAt ?? tx.at,
      publishedAt: target.publishedAt,
      licence: tx.licence,
    });
    if (expiry && Date.parse(expiry.at) <= now)
      return {
        ...version,
        versionOutcome: 'current',
        state: { status: 'expired', expired: { at: tx.at, reason: expiry.reason } },
        expiry,
        effects: wasShown ? [{ kind: 'takedown', why: 'expire' }] : [],
      };
    const effects: LifecycleEffect[] = [{ kind: 'render' }];
    if (waiting !== 'received' && wasShown) effects.push({ kind: 'takedown', why: 'withdraw' });
    if (embargoUntil) effects.push({ kind: 'release-at', at: embargoUntil });
    return {
      ...version,
      versionOutcome: 'current',
      state: { status: waiting, ...optional(embargoUntil, hold), ...released },
      ...(expiry ? { expiry } : {}),
      effects,
    };
  }
  // An older version after a newer one: kept in the history, but its embargo, hold or release
  // still counts.
  const superseded = {
    ...version,
    versionOutcome: supersedesCurrent ? ('rejected' as const) : ('superseded' as const),
  };
  if (target.status === 'rejected' || (embargoUntil === target.embargoUntil && hold === target.hold))
    return { ...superseded, effects: [] };
  if (waiting !== 'received') {
    const effects: LifecycleEffect[] = [];
    if (wasShown && target.status !== 'embargoed' && target.status !== 'held')
      effects.push({ kind: 'takedown', why: 'withdraw' });
    if (newEmbargo) effects.push({ kind: 'release-at', at: embargoUntil as string });
    return {
      ...superseded,
      state: { status: waiting, ...optional(embargoUntil, hold), ...released },
      effects,
    };
  }
  // The embargo in force was released: the photo carries on from where it waited.
  return {
    ...superseded,
    state: { status: 'received', ...released },
    effects: [{ kind: target.rendered ? 'match' : 'render' }],
  };
}

function decideNew(view: IdentityView, tx: TransmissionFacts, now: number): TransmissionDecision {
  if (tx.marker === 'kill') {
    return {
      outcome: 'new',
      kind: 'kill',
      versionOutcome: 'killed',
      state: { status: 'killed', killed: { at: tx.at, reason: tx.reason ?? 'kill notice' } },
      keys: tx.identityKeys.length > 0 ? 'prekill' : 'none',
      effects: [{ kind: 'takedown', why: 'kill' }],
    };
  }
  const kind = versionKind(tx.marker, true);
  const keys = tx.identityKeys.length > 0 ? ('identity' as const) : ('none' as const);
  if (view.legacyKill) {
    return {
      outcome: 'new',
      kind,
      versionOutcome: 'recorded',
      state: { status: 'killed', killed: view.legacyKill },
      keys,
      effects: [{ kind: 'takedown', why: 'kill' }],
    };
  }
  const expiry = photoLicenceExpiry({ receivedAt: tx.at, licence: tx.licence });
  if (expiry && Date.parse(expiry.at) <= now)
    // Its licence ran out before it arrived: recorded (later versions are recorded on it), never shown.
    return {
      outcome: 'new',
      kind,
      versionOutcome: 'current',
      state: { status: 'expired', expired: { at: tx.at, reason: expiry.reason } },
      keys,
      expiry,
      effects: [],
    };
  const embargoUntil = stickyEmbargo(undefined, tx.embargo, { release: false, now });
  const hold = stickyHold(undefined, tx.embargo) ?? tx.hold;
  const effects: LifecycleEffect[] = [{ kind: 'render' }];
  if (embargoUntil) effects.push({ kind: 'release-at', at: embargoUntil });
  return {
    outcome: 'new',
    kind,
    versionOutcome: 'current',
    state: { status: waitingOrReceived(embargoUntil, hold), ...optional(embargoUntil, hold) },
    keys,
    ...(expiry ? { expiry } : {}),
    effects,
  };
}
