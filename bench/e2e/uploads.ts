/** Pushing photos like a wire feed: registering the stories, then uploads over HTTP. */
import { spliceJpegMetadata } from '@lightbox/imaging';
import type { LocalStack } from '../support/local-stack.js';
import { sleep } from './settings.js';
import { BENCH_STORIES, type PlannedPhoto, wireXmp } from './wire-photos.js';

export interface Sent {
  photo: PlannedPhoto;
  photoId: string;
  sentAt: number;
  acceptedAt: number;
}

/** One photo's bytes: a 24 MP base frame with its own wire XMP (so its own sha256 and identity). */
function photoBytes(base: Buffer, p: PlannedPhoto): Buffer {
  return spliceJpegMetadata(base, { xmp: wireXmp(p) });
}

/** Uploads sent again after the connection broke (counted in e2e.json). */
let retries = 0;

/** Uploads sent again so far. */
export const uploadRetries = () => retries;

/**
 * Pushes like a wire feed: a connection that breaks (the API closing a kept-alive connection just
 * as an upload starts on it) is tried again, as feeds do; the same bytes are the same photo.
 */
export async function push(stack: LocalStack, bytes: Buffer, filename: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await stack.pushPhoto(bytes, filename, 120_000);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof TypeError)) throw err;
      retries++;
      continue;
    }
    if (res.status !== 202 && res.status !== 200)
      throw new Error(`upload ${filename}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { photoId: string }).photoId;
  }
}

export async function registerStories(stack: LocalStack): Promise<void> {
  for (const s of BENCH_STORIES) {
    const res = await stack.call('/v1/stories', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        slug: s.slug,
        headline: `${s.name} in ${s.city}`,
        keywords: s.keywords,
        event: {
          name: s.name,
          venue: s.venue,
          city: s.city,
          country: s.country,
          start: `${s.day}T08:00:00${s.offset}`,
          end: `${s.day}T23:30:00${s.offset}`,
        },
      }),
    });
    if (res.status !== 201) throw new Error(`story ${s.slug}: ${res.status} ${await res.text()}`);
  }
}

/** Pushes photos with `inFlight` uploads at once, each no earlier than its slot (`intervalMs` apart). */
export async function pushAll(
  stack: LocalStack,
  bases: Buffer[],
  photos: PlannedPhoto[],
  options: { inFlight: number; intervalMs?: number },
): Promise<Sent[]> {
  const sent: Sent[] = [];
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.inFlight }, async () => {
      for (;;) {
        const i = next++;
        const p = photos[i];
        if (!p) return;
        if (options.intervalMs) await sleep(Math.max(0, t0 + i * options.intervalMs - Date.now()));
        const bytes = photoBytes(bases[p.index % bases.length] as Buffer, p);
        const sentAt = Date.now();
        const photoId = await push(stack, bytes, `${p.guid.split(':').pop()}.jpg`);
        sent.push({ photo: p, photoId, sentAt, acceptedAt: Date.now() });
      }
    }),
  );
  return sent.sort((a, b) => a.sentAt - b.sentAt);
}
