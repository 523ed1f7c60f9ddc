import type { StoryCatalog } from '@lightbox/catalog';
import { type GalleryLayout, objectKeys, type Story } from '@lightbox/contracts';
import type { ObjectStore } from '@lightbox/storage';

export const STORY_COPY_FORMAT = 'lightbox-story/1';

/**
 * What object storage keeps of a live story (`stories/<id>.json`): the story and the editor's
 * layout, rewritten on every change. With the acceptances it lets Redis be rebuilt: the stories
 * come back from their copies, their photos from the acceptances (matching puts them back in their
 * galleries). A story archived to `archive/stories/` has no copy any more.
 */
export interface StoryCopy {
  format: typeof STORY_COPY_FORMAT;
  savedAt: string;
  story: Story;
  layout: GalleryLayout;
}

const PREFIX = 'stories/';

export class StoryCopies {
  constructor(
    private readonly stories: StoryCatalog,
    private readonly store: ObjectStore,
  ) {}

  /** Writes the copy of the story as Redis holds it now; a story no longer in Redis is left alone. */
  async save(storyId: string): Promise<void> {
    const story = await this.stories.get(storyId);
    if (!story) return;
    await this.write({ story, layout: await this.stories.getLayout(storyId) });
  }

  /** Removes a story's copy (its state went to the archive). */
  async remove(storyId: string): Promise<void> {
    await this.store.delete(objectKeys.storyCopy(storyId));
  }

  async read(storyId: string): Promise<StoryCopy | undefined> {
    const body = await this.store.get(objectKeys.storyCopy(storyId)).catch(() => undefined);
    if (!body) return undefined;
    const copy = JSON.parse(body.toString('utf8')) as StoryCopy;
    if (copy.format !== STORY_COPY_FORMAT)
      throw new Error(`${objectKeys.storyCopy(storyId)}: unknown story copy format ${String(copy.format)}`);
    return copy;
  }

  /** Ids of the stories that have a copy. */
  async ids(): Promise<string[]> {
    return (await this.store.list(PREFIX))
      .filter((k) => k.endsWith('.json'))
      .map((k) => k.slice(PREFIX.length, -'.json'.length));
  }

  /**
   * Makes every live story's copy match Redis (a copy written by an earlier release's story, one
   * that lost a race with a newer change, or one whose write failed); returns how many it wrote.
   */
  async sync(): Promise<number> {
    let written = 0;
    for (const story of await this.stories.list()) {
      const layout = await this.stories.getLayout(story.id);
      const copy = await this.read(story.id).catch(() => undefined);
      if (copy && same(copy.story, story) && same(copy.layout, layout)) continue;
      await this.write({ story, layout });
      written++;
    }
    return written;
  }

  private async write({ story, layout }: { story: Story; layout: GalleryLayout }): Promise<void> {
    const copy: StoryCopy = { format: STORY_COPY_FORMAT, savedAt: new Date().toISOString(), story, layout };
    await this.store.put(objectKeys.storyCopy(story.id), JSON.stringify(copy), {
      contentType: 'application/json',
    });
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
