import { createHash } from 'node:crypto';
import {
  type C2paProvenance,
  objectKeys,
  type Photo,
  type PhotoLicence,
  type PhotoMetadata,
} from '@lightbox/contracts';
import {
  type FeedRulesFile,
  feedExpiryRule,
  graphicContentOptions,
  invalidCredentialsPolicy,
  rulesForFeed,
} from '@lightbox/feed-rules';
import { C2paValidator, loadTrustList, provablyWithoutManifestStore } from '@lightbox/provenance';
import type { ObjectStore } from '@lightbox/storage';
import { provenanceFindings } from '@lightbox/wire-rules';

/** One transmission as the provenance step sees it. */
export interface ProvenanceInput {
  feed: string;
  /** The transmission's fingerprint (bytes, and sidecar): its manifest store is its own. */
  fingerprint: string;
  /** The bytes received: their first bytes, all of them when kept in memory, and how to read them all. */
  head: Buffer;
  whole?: Buffer;
  read: () => Promise<Buffer>;
  contentType: string;
  /** The embedded record (IIM, XMP), before a sidecar overrides it: its IIM expiry is the agency's. */
  embedded: PhotoMetadata;
  /** What a NewsML-G2 sidecar supplied (its `expires`/`validto` is the agency's too). */
  sidecar?: Partial<PhotoMetadata>;
  /** The record as it will be stored (sidecar merged): captions and instructions are read from it. */
  metadata: PhotoMetadata;
  /** Arrival, ISO. */
  at: string;
}

/**
 * The id a transmission's manifest store is kept under: one per transmission (a kill or expiry
 * deletes it without touching another photo's), the same on a retry, and revealing neither the
 * photo id nor the original's hash (which would make the unwatermarked original fetchable).
 */
export function manifestStoreId(fingerprint: string): string {
  return createHash('sha256').update('lightbox-c2pa-store\0').update(fingerprint).digest('hex');
}

/** What the step adds to the transmission: facts for the lifecycle's decision, and record fields. */
export interface TransmissionProvenance {
  facts: { hold?: string; licence?: PhotoLicence };
  fields: Partial<Pick<Photo, 'provenance' | 'sensitive' | 'reviewReason' | 'licence'>>;
  /** Where the manifest store was kept, for the version's history entry. */
  entry: { manifestStoreKey?: string };
}

/**
 * The provenance and rights rules for one transmission, without I/O: the C2PA check's result, the
 * feed's rules (invalid-credentials policy, graphic words, expiry) and the record give the hold,
 * the review reason, the sensitive flag and the licence the lifecycle records.
 */
export function transmissionProvenance(
  input: Pick<ProvenanceInput, 'feed' | 'embedded' | 'sidecar' | 'metadata' | 'at'>,
  c2pa: C2paProvenance,
  manifestStoreKey: string | undefined,
  feedRules: FeedRulesFile | undefined,
): TransmissionProvenance {
  const rule = rulesForFeed(feedRules, input.feed);
  const found = provenanceFindings(input.metadata, c2pa, {
    invalidCredentials: invalidCredentialsPolicy(rule),
    graphicContent: graphicContentOptions(rule),
  });
  const feedRule = feedExpiryRule(rule);
  const licence: PhotoLicence = {
    ...(input.embedded.expirationDate ? { iim: input.embedded.expirationDate } : {}),
    ...(input.sidecar?.expirationDate ? { newsml: input.sidecar.expirationDate } : {}),
    ...(feedRule && feedRule.expireAfterDays > 0 ? { feedRule } : {}),
  };
  const hasLicence = Object.keys(licence).length > 0;
  return {
    facts: { ...(found.hold ? { hold: found.hold } : {}), ...(hasLicence ? { licence } : {}) },
    fields: {
      provenance: { c2pa, ...(manifestStoreKey ? { manifestStoreKey } : {}), checkedAt: input.at },
      ...(found.sensitive ? { sensitive: found.sensitive } : {}),
      ...(found.reviewReason ? { reviewReason: found.reviewReason } : {}),
      ...(hasLicence ? { licence } : {}),
    },
    entry: manifestStoreKey ? { manifestStoreKey } : {},
  };
}

export interface ProvenanceStepDeps {
  /** One per process: the C2PA SDK is loaded once, with the trust list. */
  validator: C2paValidator;
  store: ObjectStore;
  /** The per-feed rules file (`LIGHTBOX_FEED_RULES_FILE`). */
  feedRules?: FeedRulesFile;
}

/**
 * Intake's provenance step: verifies the C2PA Content Credentials of exactly the bytes received,
 * keeps an embedded manifest store at `provenance/<manifestStoreId>.c2pa` (before the record
 * points at it, like the original), and applies the provenance rules. A JPEG or PNG whose headers
 * hold no JUMBF costs a header scan; the file is read whole only when there is a store to verify.
 */
export class ProvenanceStep {
  constructor(private readonly deps: ProvenanceStepDeps) {}

  /**
   * The step a process needs, its trust list read from PEM files (`LIGHTBOX_C2PA_TRUST_ANCHORS`)
   * once; a missing or unreadable file stops start-up naming it (`TrustListError`).
   */
  static async create(options: {
    trustAnchors: string[];
    store: ObjectStore;
    feedRules?: FeedRulesFile;
  }): Promise<ProvenanceStep> {
    const validator = new C2paValidator(await loadTrustList(options.trustAnchors));
    return new ProvenanceStep({ validator, store: options.store, feedRules: options.feedRules });
  }

  async check(input: ProvenanceInput): Promise<TransmissionProvenance> {
    const bytes = input.whole ?? (provablyWithoutManifestStore(input.head) ? input.head : await input.read());
    const { provenance: c2pa, manifestStore } = await this.deps.validator.check(bytes, input.contentType);
    let manifestStoreKey: string | undefined;
    if (manifestStore) {
      manifestStoreKey = objectKeys.provenance(manifestStoreId(input.fingerprint));
      await this.deps.store.put(manifestStoreKey, manifestStore, {
        contentType: 'application/c2pa',
        cacheControl: 'public, max-age=3600',
      });
    }
    return transmissionProvenance(input, c2pa, manifestStoreKey, this.deps.feedRules);
  }
}
