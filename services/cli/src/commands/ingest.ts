import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SNIFF_BYTES, sniffImageFormat } from '@lightbox/intake/sniff';
import { isSidecarName, sidecarStem } from '@lightbox/newsml';
import { ApiClientError, type LightboxApiClient } from '../api-client.js';

export const INGEST_USAGE = `Usage: lightbox ingest [--live] <files|dirs>...
  Pushes pictures to a running Lightbox over HTTP, as a wire feed does (LIGHTBOX_URL, feed key from
  LIGHTBOX_FEED_KEY or ./data/credentials.json). Directories are walked; hidden files are left out.
  An import is bulk work: its photos wait behind live wire photos at every stage (--live: not).
  A NewsML-G2 sidecar (same basename, .xml, e.g. AP123.jpg + AP123.xml) goes with its picture, as in
  the hot folder. Files that are not JPEG, PNG, TIFF, WebP, HEIF, AVIF or GIF (judged by their
  bytes, not their names) are skipped with a line saying so.`;

/** Files under the given paths (directories walked, hidden files skipped), sorted. */
export async function collectFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true });
      const nested = entries.filter((e) => !e.name.startsWith('.')).map((e) => join(path, e.name));
      out.push(...(await collectFiles(nested)));
    } else if (info.isFile()) {
      out.push(path);
    }
  }
  return out.sort();
}

/** One push: a picture, its content type from its bytes, and its NewsML-G2 sidecar if there is one. */
export interface IngestItem {
  file: string;
  contentType: string;
  sidecar?: string;
}

/**
 * What `lightbox ingest` will push: pictures (recognised by their first bytes) with the sidecar of
 * the same basename in the same directory; everything else skipped, with the reason.
 */
export async function planIngest(
  files: string[],
): Promise<{ items: IngestItem[]; skipped: { file: string; reason: string }[] }> {
  const sidecars = new Map<string, string>();
  for (const file of files)
    if (isSidecarName(basename(file))) sidecars.set(join(dirname(file), sidecarStem(basename(file))), file);
  const items: IngestItem[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const paired = new Set<string>();
  for (const file of files) {
    if (isSidecarName(basename(file))) continue;
    const format = sniffImageFormat(await readHead(file));
    if (!format) {
      skipped.push({ file, reason: 'not an image Lightbox takes (JPEG, PNG, TIFF, WebP, HEIF, AVIF, GIF)' });
      continue;
    }
    const sidecar = sidecars.get(join(dirname(file), sidecarStem(basename(file))));
    if (sidecar) paired.add(sidecar);
    items.push({ file, contentType: format.contentType, ...(sidecar ? { sidecar } : {}) });
  }
  for (const sidecar of sidecars.values())
    if (!paired.has(sidecar))
      skipped.push({ file: sidecar, reason: 'a NewsML-G2 sidecar without a picture of the same name' });
  return { items, skipped: skipped.sort((a, b) => a.file.localeCompare(b.file)) };
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: number;
  failed: number;
  skipped: number;
  results: { file: string; photoId?: string; outcome: string }[];
}

/** One line of progress: bar, count, rate and time left, e.g. `[#####-----] 12/40  3.2 files/s  ETA 9 s`. */
export function formatProgress(done: number, total: number, elapsedMs: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const left = total - done;
  const eta = rate > 0 ? Math.ceil(left / rate) : undefined;
  const time = (s: number) => (s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}  ${rate.toFixed(1)} files/s  ${
    left === 0
      ? `done in ${time(Math.round(elapsedMs / 1000))}`
      : eta === undefined
        ? 'ETA –'
        : `ETA ${time(eta)}`
  }`;
}

/** The end-of-run list: every file with its outcome, problems first, then the totals. */
export function formatSummary(summary: IngestSummary): string[] {
  const rank = (o: string) =>
    o.startsWith('failed')
      ? 0
      : o.startsWith('rejected')
        ? 1
        : o.startsWith('skipped')
          ? 2
          : o === 'duplicate'
            ? 3
            : 4;
  const rows = [...summary.results].sort(
    (a, b) => rank(a.outcome) - rank(b.outcome) || a.file.localeCompare(b.file),
  );
  return [
    ...rows.map((r) => {
      const colon = r.outcome.indexOf(':');
      const kind = colon === -1 ? r.outcome : r.outcome.slice(0, colon);
      const why = colon === -1 ? '' : ` — ${r.outcome.slice(colon + 2)}`;
      return `${kind.padEnd(9)} ${(r.photoId ?? '').padEnd(28)} ${r.file}${why}`;
    }),
    `${summary.results.length} files: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected, ${summary.failed} failed, ${summary.skipped} skipped`,
  ];
}

/**
 * Pushes pictures over HTTP like a wire feed would, a few at a time, each with its sidecar; skipped
 * files are reported first. `progress` hears of each picture as it finishes (`say` gets one line per
 * file when there is no progress display).
 */
export async function ingestFiles(
  client: LightboxApiClient,
  files: string[],
  say: (line: string) => void,
  concurrency = 4,
  progress?: (done: number, total: number) => void,
  bulk = true,
): Promise<IngestSummary> {
  const { items, skipped } = await planIngest(files);
  const summary: IngestSummary = {
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    failed: 0,
    skipped: skipped.length,
    results: [],
  };
  for (const { file, reason } of skipped) {
    summary.results.push({ file, outcome: `skipped: ${reason}` });
    say(`skipped   ${file}: ${reason}`);
  }
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const { file, contentType, sidecar } = items[next++] as IngestItem;
      const shown = sidecar ? `${file} + ${basename(sidecar)}` : file;
      try {
        const { body } = await client.pushPhoto(
          await readFile(file),
          basename(file),
          contentType,
          sidecar ? await readFile(sidecar) : undefined,
          bulk,
        );
        if (body.duplicate) summary.duplicates += 1;
        else summary.accepted += 1;
        summary.results.push({
          file: shown,
          photoId: body.photoId,
          outcome: body.duplicate ? 'duplicate' : 'accepted',
        });
        if (!progress) say(`${body.duplicate ? 'duplicate' : 'accepted '} ${body.photoId}  ${shown}`);
      } catch (err) {
        const rejected =
          err instanceof ApiClientError && err.status < 500 && err.status !== 401 && err.status !== 403;
        if (rejected) summary.rejected += 1;
        else summary.failed += 1;
        const message = err instanceof Error ? err.message : String(err);
        summary.results.push({ file: shown, outcome: `${rejected ? 'rejected' : 'failed'}: ${message}` });
        if (!progress) say(`${rejected ? 'rejected ' : 'FAILED   '} ${shown}: ${message}`);
      }
      progress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return summary;
}
