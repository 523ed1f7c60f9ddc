import type { C2paProvenance, C2paSigner, ProvenanceIssue } from '@lightbox/contracts';
import { mostSyntheticSourceType } from '@lightbox/wire-rules';

/** The parts of the C2PA SDK's manifest-store JSON (c2pa-rs `Reader`) that Lightbox reads. */
export interface ReaderStatus {
  code: string;
  url?: string;
  explanation?: string;
}
interface ReaderManifest {
  claim_generator?: string;
  claim_generator_info?: { name?: string; version?: string }[];
  ingredients?: unknown[];
  assertions?: { label?: string; data?: { actions?: { action?: string; digitalSourceType?: string }[] } }[];
  signature_info?: { issuer?: string; common_name?: string; time?: string };
}
export interface ReaderManifestStore {
  active_manifest?: string;
  manifests?: Record<string, ReaderManifest>;
  validation_state?: 'Invalid' | 'Valid' | 'Trusted';
  validation_status?: ReaderStatus[];
  validation_results?: {
    activeManifest?: { failure?: ReaderStatus[] };
    ingredientDeltas?: { validationDeltas?: { failure?: ReaderStatus[] } }[];
  };
}

function claimGenerator(m: ReaderManifest): string | undefined {
  if (m.claim_generator) return m.claim_generator;
  const parts = (m.claim_generator_info ?? [])
    .filter((g) => g.name)
    .map((g) => (g.version ? `${g.name}/${g.version}` : (g.name as string)));
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function signer(m: ReaderManifest): C2paSigner | undefined {
  // c2pa-rs names the signing certificate's subject organisation `issuer` (the claim's issuer).
  const organisation = m.signature_info?.issuer?.trim() || undefined;
  const commonName = m.signature_info?.common_name?.trim() || undefined;
  return organisation || commonName ? { organisation, commonName } : undefined;
}

const isActionsAssertion = (label: string | undefined) =>
  /^c2pa\.actions(\.v\d+)?(__\d+)?$/.test(label ?? '');

function issues(store: ReaderManifestStore): ProvenanceIssue[] {
  const results = store.validation_results;
  const failures = results
    ? [
        ...(results.activeManifest?.failure ?? []),
        ...(results.ingredientDeltas ?? []).flatMap((d) => d.validationDeltas?.failure ?? []),
      ]
    : (store.validation_status ?? []);
  const seen = new Set<string>();
  const out: ProvenanceIssue[] = [];
  for (const f of failures) {
    const key = `${f.code}|${f.explanation ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f.explanation ? { code: f.code, explanation: f.explanation } : { code: f.code });
  }
  return out;
}

/**
 * Lightbox's provenance record from the SDK's manifest-store JSON. Pure: `valid` when the active
 * manifest verifies (`Valid` or `Trusted`), `trusted` only for `Trusted` (the signer chains to the
 * trust list), `invalid` otherwise, with the failures as `issues`.
 */
export function summariseManifestStore(store: ReaderManifestStore): C2paProvenance {
  const label = store.active_manifest;
  const active = label ? store.manifests?.[label] : undefined;
  if (!active)
    return {
      state: 'invalid',
      trusted: false,
      actions: [],
      ingredients: 0,
      issues: [{ code: 'claim.missing', explanation: 'the manifest store has no active manifest' }],
    };
  const actionList = (active.assertions ?? [])
    .filter((a) => isActionsAssertion(a.label))
    .flatMap((a) => a.data?.actions ?? []);
  const state =
    store.validation_state === 'Valid' || store.validation_state === 'Trusted' ? 'valid' : 'invalid';
  const result: C2paProvenance = {
    state,
    trusted: store.validation_state === 'Trusted',
    signer: signer(active),
    signedAt: active.signature_info?.time,
    claimGenerator: claimGenerator(active),
    actions: [...new Set(actionList.map((a) => a.action).filter((a): a is string => Boolean(a)))],
    ingredients: active.ingredients?.length ?? 0,
    digitalSourceType: mostSyntheticSourceType(...actionList.map((a) => a.digitalSourceType))?.value,
    manifestLabel: label,
  };
  if (state === 'invalid') result.issues = issues(store);
  for (const key of Object.keys(result) as (keyof C2paProvenance)[])
    if (result[key] === undefined) delete result[key];
  return result;
}

/** Codes of SDK errors that mean "this asset carries no credentials we can read". */
const ABSENT_ERRORS = new Set(['JumbfNotFound', 'ProvenanceMissing', 'UnsupportedType', 'JumbfBoxNotFound']);

/**
 * The record for an asset the SDK refused to read: absent when it found no manifest store (or only
 * a remote reference), otherwise invalid with the error as the issue.
 */
export function summariseReaderError(error: unknown): C2paProvenance {
  const text = String(error instanceof Error ? error.message : error);
  const name = text.match(/^C2pa\((\w+)/)?.[1] ?? text.match(/^(\w+)/)?.[1] ?? 'Error';
  const remote = text.match(/^C2pa\(RemoteManifestUrl\("([^"]+)"\)\)/)?.[1];
  if (remote)
    return { state: 'absent', trusted: false, actions: [], ingredients: 0, remoteManifestUrl: remote };
  if (ABSENT_ERRORS.has(name)) return { state: 'absent', trusted: false, actions: [], ingredients: 0 };
  const code = name === 'UnknownAlgorithm' ? 'algorithm.unsupported' : 'general.error';
  return {
    state: 'invalid',
    trusted: false,
    actions: [],
    ingredients: 0,
    issues: [{ code, explanation: text }],
  };
}
