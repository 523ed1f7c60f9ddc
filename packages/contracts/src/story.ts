import { z } from 'zod';

/** ISO 8601 date-time that must carry an explicit offset (Z or ±hh:mm). */
export const offsetDateTime = z.iso.datetime({ offset: true, local: false });

const slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'slug must be lower-case words joined by hyphens');

/** ISO 8601 duration (PnWnDTnHnMnS) in milliseconds; undefined when not one. */
export function durationMs(iso: string | undefined): number | undefined {
  const m = iso?.match(/^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/);
  if (!m || iso === 'P' || iso?.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  return (
    (((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 +
    Number(s ?? 0) * 1000
  );
}

/** `iso` + `ms`, written in the same offset as `iso` (a story's end keeps its start's zone). */
export function addKeepingOffset(iso: string, ms: number): string {
  const m = iso.match(/([+-])(\d{2}):(\d{2})$/);
  if (!m) return new Date(Date.parse(iso) + ms).toISOString().replace('.000Z', 'Z');
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const local = new Date(Date.parse(iso) + ms + minutes * 60_000).toISOString().slice(0, 19);
  return `${local}${m[0]}`;
}

const eventFields = {
  name: z.string().min(1).max(300),
  aliases: z.array(z.string().min(1).max(300)).max(50).optional(),
  venue: z.string().max(300).optional(),
  city: z.string().max(200).optional(),
  country: z.string().max(200).optional(),
  start: offsetDateTime,
  end: offsetDateTime,
  timezone: z.string().max(100).optional(),
  /**
   * Exact keys that tie photos to this story before any text scoring: IPTC EventId URIs, NewsML-G2
   * event guids and qcodes, agency job ids (IIM 2:103) and the guids of linked pictures.
   */
  ids: z.array(z.string().trim().min(1).max(300)).max(1000).optional(),
  /** More place names that count as the story's place (districts, suburbs, other spellings). */
  places: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
};

/** `{start, duration}` is accepted for `{start, end}`: the end is computed in the start's offset. */
function durationToEnd(value: unknown, ctx: z.RefinementCtx): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  if (v.duration === undefined) return value;
  const { duration, ...rest } = v;
  const ms = typeof duration === 'string' ? durationMs(duration) : undefined;
  if (v.end !== undefined) {
    ctx.addIssue({ code: 'custom', message: 'give end or duration, not both', path: ['duration'] });
    return rest;
  }
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'duration must be an ISO 8601 duration such as PT3H30M',
      path: ['duration'],
    });
    return rest;
  }
  if (typeof v.start !== 'string' || Number.isNaN(Date.parse(v.start))) return rest; // start's own error
  return { ...rest, end: addKeepingOffset(v.start, ms) };
}

export const storyEventSchema = z.preprocess(
  durationToEnd,
  z
    .object(eventFields)
    .strict()
    .refine((e) => Date.parse(e.end) >= Date.parse(e.start), {
      message: 'event.end must not be before event.start',
      path: ['end'],
    }),
);

/** Body of `POST /v1/stories`. `event.duration` (ISO 8601, e.g. "PT3H30M") may replace `event.end`. */
export const storyInputSchema = z
  .object({
    slug,
    headline: z.string().min(1).max(500),
    event: storyEventSchema,
    keywords: z.array(z.string().min(1).max(100)).max(100).optional(),
  })
  .strict();
export type StoryInput = z.infer<typeof storyInputSchema>;
export type StoryEvent = StoryInput['event'];

export const STORY_STATUSES = ['open', 'closed'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

/**
 * Body of `PATCH /v1/stories/:id`: any of headline, keywords, status, and event fields (merged into
 * the current event, which is then validated whole).
 */
export const storyUpdateSchema = z
  .object({
    headline: z.string().min(1).max(500).optional(),
    keywords: z.array(z.string().min(1).max(100)).max(100).optional(),
    status: z.enum(STORY_STATUSES).optional(),
    event: z
      .object({ ...eventFields, duration: z.string().max(40) })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type StoryUpdate = z.infer<typeof storyUpdateSchema>;

export interface Story extends StoryInput {
  id: string;
  status: StoryStatus;
  createdAt: string;
  updatedAt: string;
  /** When the story was closed (by an editor, or automatically after its end). */
  closedAt?: string;
}

/** Editor choices for a story's gallery. */
export const galleryLayoutSchema = z
  .object({
    /** Photo ids in the order editors want them; photos not listed follow in capture order. */
    order: z.array(z.string().min(1).max(64)).max(5000).optional(),
    /** The cover photo; null to unpin. */
    cover: z.string().min(1).max(64).nullable().optional(),
    /** Photos chosen as the shown frame of their near-duplicate group (the rest stay its alternates). */
    leads: z.array(z.string().min(1).max(64)).max(5000).optional(),
  })
  .strict();
export type GalleryLayout = { order: string[]; cover: string | null; leads?: string[] };
