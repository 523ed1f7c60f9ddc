import { z } from 'zod';

/** ISO 8601 date-time that must carry an explicit offset (Z or ±hh:mm). */
export const offsetDateTime = z.iso.datetime({ offset: true, local: false });

const slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'slug must be lower-case words joined by hyphens');

export const storyEventSchema = z
  .object({
    name: z.string().min(1).max(300),
    aliases: z.array(z.string().min(1).max(300)).max(50).optional(),
    venue: z.string().max(300).optional(),
    city: z.string().max(200).optional(),
    country: z.string().max(200).optional(),
    start: offsetDateTime,
    end: offsetDateTime,
    timezone: z.string().max(100).optional(),
  })
  .strict()
  .refine((e) => Date.parse(e.end) >= Date.parse(e.start), {
    message: 'event.end must not be before event.start',
    path: ['end'],
  });

/** Body of `POST /v1/stories`. */
export const storyInputSchema = z
  .object({
    slug,
    headline: z.string().min(1).max(500),
    event: storyEventSchema,
    keywords: z.array(z.string().min(1).max(100)).max(100).optional(),
  })
  .strict();
export type StoryInput = z.infer<typeof storyInputSchema>;
export type StoryEvent = z.infer<typeof storyEventSchema>;

export const STORY_STATUSES = ['open', 'closed'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

export interface Story extends StoryInput {
  id: string;
  status: StoryStatus;
  createdAt: string;
  updatedAt: string;
}
