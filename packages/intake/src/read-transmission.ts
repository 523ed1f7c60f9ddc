import type { PhotoMetadata } from '@lightbox/contracts';
import { applyFeedRules, type FeedRule, rulesForFeed } from '@lightbox/feed-rules';
import { mergeMetadata, readPhotoMetadata } from '@lightbox/metadata';
import type { NewsmlPicture } from '@lightbox/newsml';
import { interpretTransmission } from '@lightbox/wire-rules';
import { sidecarOverrides } from './classify.js';
import type { IntakeDeps } from './photo-intake.js';
import { type HeaderProbe, probeHeader } from './probe.js';
import type { TransmissionProvenance } from './provenance-step.js';
import { originalBytes } from './receive.js';
import type { SniffedFormat } from './sniff.js';
import type { Transmission } from './transmission.js';

/** What reading a transmission found (see `readTransmission`). */
export interface TransmissionReading {
  format: SniffedFormat;
  overrides: Partial<PhotoMetadata> | undefined;
  /** The feed's rules (`LIGHTBOX_FEED_RULES_FILE`): applied to the metadata; its restrictions go on the record. */
  feedRule: FeedRule;
  probe: HeaderProbe;
  metadata: PhotoMetadata;
  meaning: ReturnType<typeof interpretTransmission>;
  provenance: TransmissionProvenance;
}

/**
 * Reads an image transmission once: its caption metadata (with any NewsML-G2 sidecar) and image
 * header from the bytes received (a JPEG's head), what the metadata says the transmission is,
 * and its provenance.
 */
export async function readTransmission(
  deps: Pick<IntakeDeps, 'store' | 'provenance' | 'maxInputPixels' | 'feedRules'>,
  t: Transmission,
  format: SniffedFormat,
  sidecar: NewsmlPicture | undefined,
): Promise<TransmissionReading> {
  const { file, source } = t;
  const { store } = deps;
  // One read: the metadata and the image header come from the bytes received (a JPEG's head).
  const bytes = format.format === 'jpeg' ? file.head : await originalBytes(file, store);
  const { metadata: embedded } = await readPhotoMetadata(bytes);
  const overrides = sidecar ? sidecarOverrides(sidecar) : undefined;
  const feedRule = rulesForFeed(deps.feedRules, source.feed);
  // A file cut short is refused here, before its version can replace a usable picture.
  const probe: HeaderProbe =
    file.complete === false
      ? {
          ok: false,
          reason: 'truncated_image: the file ends before the image does (no end-of-image marker)',
        }
      : await probeHeader(bytes, deps.maxInputPixels);
  const metadata = applyFeedRules(
    withImageSize(overrides ? mergeMetadata(embedded, overrides) : embedded, probe),
    feedRule,
  );
  const meaning = interpretTransmission(metadata);
  const provenance = await deps.provenance.check({
    feed: source.feed,
    fingerprint: t.fingerprint,
    head: file.head,
    whole: file.whole,
    read: () => originalBytes(file, store),
    contentType: format.contentType,
    embedded,
    sidecar: overrides,
    metadata,
    at: t.now,
  });
  return { format, overrides, feedRule, probe, metadata, meaning, provenance };
}

/** The image's displayed size and orientation, as its header says (the gallery shows them). */
function withImageSize(metadata: PhotoMetadata, probe: HeaderProbe): PhotoMetadata {
  if (!probe.ok) return metadata;
  const { width, height, orientation } = probe.size;
  return { ...metadata, width, height, ...(orientation !== undefined ? { orientation } : {}) };
}
