import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ApiClientError, type LightboxApiClient } from '../api-client.js';

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
};

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

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: number;
  failed: number;
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
    o.startsWith('failed') ? 0 : o.startsWith('rejected') ? 1 : o === 'duplicate' ? 2 : 3;
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
    `${summary.results.length} files: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected, ${summary.failed} failed`,
  ];
}

/**
 * Pushes files over HTTP like a wire feed would, a few at a time. `progress` hears of each file as
 * it finishes (`say` gets one line per file when there is no progress display).
 */
export async function ingestFiles(
  client: LightboxApiClient,
  files: string[],
  say: (line: string) => void,
  concurrency = 4,
  progress?: (done: number, total: number) => void,
): Promise<IngestSummary> {
  const summary: IngestSummary = { accepted: 0, duplicates: 0, rejected: 0, failed: 0, results: [] };
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++] as string;
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      try {
        const { body } = await client.pushPhoto(await readFile(file), basename(file), type);
        if (body.duplicate) summary.duplicates += 1;
        else summary.accepted += 1;
        summary.results.push({
          file,
          photoId: body.photoId,
          outcome: body.duplicate ? 'duplicate' : 'accepted',
        });
        if (!progress) say(`${body.duplicate ? 'duplicate' : 'accepted '} ${body.photoId}  ${file}`);
      } catch (err) {
        const rejected =
          err instanceof ApiClientError && err.status < 500 && err.status !== 401 && err.status !== 403;
        if (rejected) summary.rejected += 1;
        else summary.failed += 1;
        const message = err instanceof Error ? err.message : String(err);
        summary.results.push({ file, outcome: `${rejected ? 'rejected' : 'failed'}: ${message}` });
        if (!progress) say(`${rejected ? 'rejected ' : 'FAILED   '} ${file}: ${message}`);
      }
      progress?.(summary.results.length, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return summary;
}
