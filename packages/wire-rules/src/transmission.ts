import type { PhotoMetadata } from '@lightbox/contracts';
import { EMBARGO_RELEASE, type EmbargoReading, readEmbargo } from './embargo.js';
import { parseRestrictions } from './restrictions.js';

export type TransmissionKind = 'new' | 'update' | 'correction' | 'kill' | 'release';

/** What an arriving picture means for the newsroom. */
export interface TransmissionMeaning {
  /**
   * What the transmission says of itself: a kill, a correction, or an embargo release ("EMBARGO
   * LIFTED"); `new` vs `update` depends on whether its identity is known.
   */
  marker: 'kill' | 'correction' | 'release' | 'none';
  /** NewsML-G2 item version, when the sender numbers its versions. */
  itemVersion?: number;
  /** Keys under which versions of the same picture are recognised. */
  identityKeys: string[];
  embargo: EmbargoReading;
  restrictions: string[];
  /** Why it is a kill or correction, quoted from the metadata. */
  reason?: string;
}

const KILL_IN_CAPTION = /\b(MANDATORY KILL|PHOTO KILLED|KILLED|KILL|ELIMINATE|WITHDRAWN)\b/;
const KILL_IN_INSTRUCTIONS = /\b(mandatory kill|killed|kill|eliminate|withdrawn)\b/i;
const CORRECTION = /^\s*(CORRECTS?|CORRECTION|CORRECTED|CORRECTING|REPEATS? WITH CORRECTION)\b/i;

const norm = (s: string | undefined) =>
  s
    ?.normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim() || undefined;

/**
 * Identity of a picture across versions: its guid when the sender gives one; otherwise the sender's
 * transmission reference together with the slug (ObjectName) and capture day, from the same source.
 * A transmission reference alone is not enough: some agencies reuse desk codes.
 */
export function identityKeys(m: PhotoMetadata): string[] {
  const keys: string[] = [];
  if (m.guid) keys.push(`guid:${m.guid.trim()}`);
  const source = norm(m.agency ?? m.source ?? m.credit);
  const ref = norm(m.transmissionReference);
  const slug = norm(m.objectName);
  const day = m.dateCreated?.slice(0, 10);
  if (source && ref && slug && day) keys.push(`ref:${source}|${ref}|${slug}|${day}`);
  return keys;
}

export function interpretTransmission(m: PhotoMetadata): TransmissionMeaning {
  const captionKill = m.caption?.match(KILL_IN_CAPTION) ?? m.headline?.match(KILL_IN_CAPTION);
  const instructionKill = m.specialInstructions?.match(KILL_IN_INSTRUCTIONS);
  const editStatus = m.editStatus?.toLowerCase() ?? '';
  let marker: TransmissionMeaning['marker'] = 'none';
  let reason: string | undefined;
  if (m.pubStatus === 'canceled') {
    marker = 'kill';
    reason = 'NewsML-G2 pubStatus stat:canceled';
  } else if (captionKill || instructionKill || /kill|withdraw/.test(editStatus)) {
    marker = 'kill';
    reason = (captionKill ?? instructionKill)?.[0] ?? `edit status ${m.editStatus}`;
  } else if (
    EMBARGO_RELEASE.test(m.specialInstructions ?? '') ||
    EMBARGO_RELEASE.test(m.caption?.slice(0, 200) ?? '') ||
    /release/.test(editStatus)
  ) {
    marker = 'release';
    reason =
      (m.specialInstructions?.match(EMBARGO_RELEASE) ??
        m.caption?.slice(0, 200).match(EMBARGO_RELEASE))?.[0] ?? `edit status ${m.editStatus}`;
  } else if (
    CORRECTION.test(m.caption ?? '') ||
    /correct/.test(editStatus) ||
    /\bCORRECTION\b/i.test(m.specialInstructions ?? '')
  ) {
    marker = 'correction';
    reason = (m.caption?.match(CORRECTION)?.[0] ?? m.editStatus ?? 'CORRECTION').trim();
  }
  return {
    marker,
    identityKeys: identityKeys(m),
    embargo: readEmbargo(m.releaseDate, m.specialInstructions, m.caption?.slice(0, 200)),
    restrictions: parseRestrictions(m.specialInstructions, m.usageTerms),
    reason,
    ...(m.itemVersion !== undefined ? { itemVersion: m.itemVersion } : {}),
  };
}
