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

/** Pushes files over HTTP like a wire feed would, a few at a time. */
export async function ingestFiles(
  client: LightboxApiClient,
  files: string[],
  say: (line: string) => void,
  concurrency = 4,
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
        say(`${body.duplicate ? 'duplicate' : 'accepted '} ${body.photoId}  ${file}`);
      } catch (err) {
        const rejected =
          err instanceof ApiClientError && err.status < 500 && err.status !== 401 && err.status !== 403;
        if (rejected) summary.rejected += 1;
        else summary.failed += 1;
        const message = err instanceof Error ? err.message : String(err);
        summary.results.push({ file, outcome: `${rejected ? 'rejected' : 'failed'}: ${message}` });
        say(`${rejected ? 'rejected ' : 'FAILED   '} ${file}: ${message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return summary;
}
