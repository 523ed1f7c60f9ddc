import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** One certificate of a trust list, described for logs and the docs page. */
export interface TrustedCertificate {
  subject: string;
  fingerprint256: string;
  validTo: string;
}

/**
 * The certificates Lightbox trusts as C2PA signers: root or intermediate CA certificates ("trust
 * anchors"); a signer whose certificate chain reaches one is trusted. PEM text, concatenated.
 */
export interface TrustList {
  anchorsPem: string;
  anchors: TrustedCertificate[];
}

export const EMPTY_TRUST_LIST: TrustList = { anchorsPem: '', anchors: [] };

export class TrustListError extends Error {
  override name = 'TrustListError';
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates of one PEM text. Throws `TrustListError` naming `source` when a block is not a
 * certificate or the text holds none: a trust list that silently trusts nothing is a mistake.
 */
export function parsePemCertificates(
  pem: string,
  source: string,
): { pem: string; certificates: TrustedCertificate[] } {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0)
    throw new TrustListError(`${source}: no PEM certificate (BEGIN CERTIFICATE) found`);
  const certificates = blocks.map((block, i) => {
    try {
      const cert = new X509Certificate(block);
      return {
        subject: cert.subject.replace(/\n/g, ', '),
        fingerprint256: cert.fingerprint256,
        validTo: cert.validTo,
      };
    } catch (err) {
      throw new TrustListError(`${source}: certificate ${i + 1} is not readable: ${(err as Error).message}`);
    }
  });
  return { pem: `${blocks.join('\n')}\n`, certificates };
}

/** Builds a trust list from PEM texts (already read), each named by its source for errors. */
export function trustListFromPem(files: { source: string; pem: string }[]): TrustList {
  const parsed = files.map((f) => parsePemCertificates(f.pem, f.source));
  return { anchorsPem: parsed.map((x) => x.pem).join(''), anchors: parsed.flatMap((x) => x.certificates) };
}

/** Reads PEM files of trust anchors into a trust list. Throws `TrustListError` naming a bad file. */
export async function loadTrustList(paths: string[]): Promise<TrustList> {
  const files = await Promise.all(
    paths.map(async (path) => {
      try {
        return { source: path, pem: await readFile(path, 'utf8') };
      } catch (err) {
        throw new TrustListError(`${path}: ${(err as Error).message}`);
      }
    }),
  );
  return trustListFromPem(files);
}
