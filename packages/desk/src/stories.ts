import type { AuditEntry } from '@lightbox/catalog';
import { type GalleryLayout, type GalleryManifest, objectKeys, type Story } from '@lightbox/contracts';
import { ObjectNotFoundError } from '@lightbox/storage';
import type { DeskDeps } from './deps.js';
import type { StoryPage, StoryView } from './schemas/stories.js';

/** The story with its photo count. */
export async function storyView(deps: DeskDeps, story: Story): Promise<StoryView> {
  return { ...story, photoCount: await deps.stories.photoCount(story.id) };
}

/** Stories by event start; a page (latest first) when `limit` is given, else all (earliest first). */
export async function listStories(
  deps: DeskDeps,
  { offset, limit }: { offset?: number; limit?: number },
): Promise<StoryPage> {
  if (limit === undefined) {
    const all = await deps.stories.list();
    return { total: all.length, stories: await Promise.all(all.map((s) => storyView(deps, s))) };
  }
  const page = await deps.stories.page(offset ?? 0, limit);
  return { total: page.total, stories: await Promise.all(page.stories.map((s) => storyView(deps, s))) };
}

export interface StoryGallery {
  story: Story;
  /** The published manifest, when the story has been published. */
  manifest?: GalleryManifest;
  layout: GalleryLayout;
  links: { manifest: string; jsonFeed: string; rssFeed: string };
  audit: AuditEntry[];
}

async function readManifest(deps: DeskDeps, storyId: string): Promise<GalleryManifest | undefined> {
  try {
    return JSON.parse(
      (await deps.store.get(objectKeys.gallery(storyId))).toString('utf8'),
    ) as GalleryManifest;
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return undefined;
    throw err;
  }
}

/** A story's gallery as published, the editor's layout, links to its objects, and its audit trail. */
export async function storyGallery(deps: DeskDeps, storyId: string): Promise<StoryGallery> {
  const story = await deps.storyDesk.requireStory(storyId);
  const [manifest, layout, audit] = await Promise.all([
    readManifest(deps, story.id),
    deps.stories.getLayout(story.id),
    deps.audit.of('story', story.id, 50),
  ]);
  return {
    story,
    manifest,
    layout,
    links: {
      manifest: deps.store.publicUrl(objectKeys.gallery(story.id)),
      jsonFeed: deps.store.publicUrl(objectKeys.galleryFeed(story.id, 'json')),
      rssFeed: deps.store.publicUrl(objectKeys.galleryFeed(story.id, 'xml')),
    },
    audit,
  };
}
