import { chooseRendition, type Photo, photoInstant, type Rendition, type Story } from '@lightbox/contracts';
import type { DeskDeps } from './deps.js';
import type { ExplainedMatch } from './schemas/photos.js';

/** The smallest rendition: the thumbnail lists and cards show. */
export function smallestRendition(photo: Pick<Photo, 'renditions'>): Rendition | undefined {
  return chooseRendition(photo.renditions);
}

export function thumbnailUrl(deps: Pick<DeskDeps, 'store'>, photo: Pick<Photo, 'renditions'>): string | null {
  const smallest = smallestRendition(photo);
  return smallest ? deps.store.publicUrl(smallest.key) : null;
}

/** The stories the photos are in or were matched against, read in one MGET. */
export async function storiesOf(
  deps: Pick<DeskDeps, 'stories'>,
  photos: Photo[],
): Promise<Map<string, Story>> {
  const ids = new Set<string>();
  for (const p of photos) {
    if (p.storyId) ids.add(p.storyId);
    for (const c of p.match?.candidates ?? []) ids.add(c.storyId);
  }
  return new Map((await deps.stories.getMany([...ids])).map((s) => [s.id, s]));
}

/** The decision with its reasons, and each candidate story named (slug, headline, status). */
export function explainMatch(photo: Photo, stories: Map<string, Story>): ExplainedMatch | null {
  if (!photo.match) return null;
  const { decision, storyId, score, reasons, candidates, matchedAt, manual } = photo.match;
  return {
    decision,
    storyId,
    score,
    reasons,
    matchedAt,
    ...(manual ? { manual } : {}),
    candidates: candidates.map((c) => {
      const story = stories.get(c.storyId);
      return {
        ...c,
        slug: story?.slug ?? null,
        headline: story?.headline ?? null,
        storyStatus: story?.status ?? null,
      };
    }),
  };
}

const DAY = 86_400_000;

/** Open stories around the photo's capture time: the choices for "assign to another story". */
export async function storiesNear(deps: Pick<DeskDeps, 'stories'>, photo: Photo): Promise<Story[]> {
  const at = photoInstant(photo);
  const list = await deps.stories.listOverlapping(at - 2 * DAY, at + 2 * DAY);
  return list.slice(0, 100);
}
