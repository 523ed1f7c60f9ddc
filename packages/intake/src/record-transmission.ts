import type { TransmissionRecord } from '@lightbox/catalog';
import { withFeedRestrictions } from '@lightbox/feed-rules';
import type { Acceptance } from './acceptance-log.js';
import type { IntakeDeps } from './photo-intake.js';
import type { TransmissionReading } from './read-transmission.js';
import { photoIdFor } from './sniff.js';
import { type Transmission, transmissionBase } from './transmission.js';

/**
 * Records the transmission: first in object storage (the acceptance, which the reconciler
 * replays), then through the lifecycle, which decides what it means in one atomic step.
 */
export async function recordTransmission(
  deps: Pick<IntakeDeps, 'acceptances' | 'lifecycle'>,
  t: Transmission,
  read: TransmissionReading,
  stored: { kept: boolean },
): Promise<{ record: TransmissionRecord; acceptance: Acceptance }> {
  const { file, source, now, filename, fingerprint } = t;
  const { lifecycle } = deps;
  const { format, overrides, feedRule, probe, metadata, meaning, provenance } = read;
  // The original is in storage before anything points at it (`receive` streamed it there).
  const originalKey = file.originalKey;
  if (!originalKey) throw new Error('accept: the original was not stored');
  // Durable beyond Redis before Redis records it: the reconciler replays it from object storage.
  const acceptance = await deps.acceptances.record(
    {
      fingerprint,
      sha256: file.sha256,
      feed: source.feed,
      ...(source.route ? { route: source.route } : {}),
      ...(source.priority === 'bulk' ? { priority: source.priority } : {}),
      ...(filename ? { filename } : {}),
      receivedAt: now,
      originalKey,
      contentType: format.contentType,
      bytes: file.size,
      identityKeys: meaning.identityKeys,
    },
    t.sidecarBytes,
  );
  // The acceptance names the original: it stays whatever happens next (the reconciler replays it).
  stored.kept = true;
  const record = await lifecycle.recordTransmission({
    facts: {
      feed: source.feed,
      group: lifecycle.groupOf(source.feed),
      marker: meaning.marker,
      reason: meaning.reason,
      identityKeys: meaning.identityKeys,
      embargo: meaning.embargo,
      itemVersion: meaning.itemVersion,
      at: now,
      ...provenance.facts,
      ...(probe.ok ? {} : { unusable: probe.reason }),
    },
    fingerprint,
    newPhotoId: photoIdFor(fingerprint),
    fields: {
      sha256: file.sha256,
      originalKey,
      contentType: format.contentType,
      bytes: file.size,
      filename,
      sidecar: overrides,
      metadata,
      restrictions: feedRule.restrictions
        ? withFeedRestrictions(meaning.restrictions, feedRule.restrictions)
        : meaning.restrictions,
      ...(probe.ok ? { probe: probe.header } : {}),
      ...provenance.fields,
      ...(source.priority === 'bulk' ? { priority: 'bulk' as const } : {}),
    },
    entry: {
      ...transmissionBase(t).entry,
      ...provenance.entry,
      originalKey,
      caption: metadata.caption?.slice(0, 2000),
      reason: meaning.reason,
      ...(probe.ok ? {} : { rejection: probe.reason }),
      ...(meaning.embargo.state === 'until' ? { embargoUntil: meaning.embargo.until } : {}),
    },
  });
  return { record, acceptance };
}
