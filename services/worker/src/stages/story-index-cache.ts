import type { StoryCatalog } from '@lightbox/catalog';
import { StoryIndex } from '@lightbox/matching';

/**
 * The worker's in-memory index of stories, kept current from the catalog's change log: each
 * refresh costs one read when nothing changed, and re-indexes only the stories that did.
 */
export class StoryIndexCache {
  private readonly index: StoryIndex;
  private generation = 0;
  private refreshing?: Promise<StoryIndex>;

  constructor(
    private readonly stories: StoryCatalog,
    slackHours: number,
  ) {
    this.index = new StoryIndex(slackHours * 3600_000);
  }

  /** The index with every story change made before this call applied. */
  current(): Promise<StoryIndex> {
    // Concurrent jobs share one refresh; a change landing during it is picked up by the next call.
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<StoryIndex> {
    if ((await this.stories.generation()) === this.generation) return this.index;
    const { generation, stories, removed } = await this.stories.changesSince(this.generation);
    for (const story of stories) this.index.upsert(story);
    for (const id of removed) this.index.remove(id);
    this.generation = generation;
    return this.index;
  }
}
