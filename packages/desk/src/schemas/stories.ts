import { STORY_STATUSES, storyInputSchema } from '@lightbox/contracts';
import { z } from 'zod';

/** A story as stored, with how many photos its gallery holds. */
export const storyViewSchema = z
  .object({
    ...storyInputSchema.shape,
    id: z.string(),
    status: z.enum(STORY_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().optional(),
    photoCount: z.number().int(),
  })
  .meta({ id: 'Story' });
export type StoryView = z.infer<typeof storyViewSchema>;

/** Stories by event start, latest first; without `limit`, all of them. */
export const storyListInput = z.object({
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const storyPageSchema = z.object({ total: z.number().int(), stories: z.array(storyViewSchema) });
export type StoryPage = z.infer<typeof storyPageSchema>;

/** The editor's layout of a story's gallery. */
export const layoutSchema = z
  .object({
    order: z.array(z.string()),
    cover: z.string().nullable(),
    leads: z.array(z.string()).optional(),
  })
  .meta({ id: 'GalleryLayout' });
