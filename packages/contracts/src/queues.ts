import { z } from 'zod';

/**
 * Pipeline stages, in flow order, then the stages stories and subscribers need. Each is one BullMQ
 * queue: `backfill` re-matches waiting photos when a story is added or edited, `index` rewrites
 * the gallery index and feeds, `close` closes stories after their end, `webhook` delivers events.
 */
export const STAGES = [
  'ingest',
  'render',
  'match',
  'publish',
  'takedown',
  'release',
  'backfill',
  'index',
  'close',
  'webhook',
  'archive',
] as const;
export type StageName = (typeof STAGES)[number];

export const photoJobSchema = z.object({ photoId: z.string().min(1) }).strict();
export const storyJobSchema = z.object({ storyId: z.string().min(1) }).strict();
export const webhookJobSchema = z
  .object({
    subscriber: z.string().min(1),
    /** The exact body to POST, so every retry sends the same bytes. */
    body: z.string().min(2),
    deliveryId: z.string().min(1),
  })
  .strict();

/** Why a photo leaves public view (takedown stage). */
export const TAKEDOWN_REASONS = ['kill', 'expire', 'withdraw'] as const;
export const takedownJobSchema = z
  .object({ photoId: z.string().min(1), why: z.enum(TAKEDOWN_REASONS) })
  .strict();

/** Job payload schema per stage. Jobs carry ids, never image bytes. */
export const jobPayloadSchemas = {
  ingest: photoJobSchema,
  render: photoJobSchema,
  match: photoJobSchema,
  publish: storyJobSchema,
  /** A photo leaves public view: galleries republished without it, renditions deleted, subscribers told. */
  takedown: takedownJobSchema,
  /**
   * The timers: an embargo's (lifts it when its time has come), the periodic sweep of photos whose
   * licence ran out, and the periodic feed health check.
   */
  release: z.union([photoJobSchema, z.object({ sweep: z.enum(['expired', 'feeds']) }).strict()]),
  backfill: storyJobSchema,
  index: z.object({}).strict(),
  close: storyJobSchema,
  webhook: webhookJobSchema,
  /**
   * A story's archive timer, the periodic sweep of photos no story claimed, or a reconcile of Redis
   * with object storage (recent days, or `everything` after Redis lost its data).
   */
  archive: z.union([
    storyJobSchema,
    z.object({ sweep: z.literal('undecided') }).strict(),
    z.object({ sweep: z.literal('reconcile'), everything: z.boolean().optional() }).strict(),
  ]),
} as const satisfies Record<StageName, z.ZodType>;

export type JobPayloads = { [S in StageName]: z.infer<(typeof jobPayloadSchemas)[S]> };

export function isStageName(value: string): value is StageName {
  return (STAGES as readonly string[]).includes(value);
}

/** Parses a `QUEUES=render,match` style list. Empty or undefined means every stage. */
export function parseStageList(value: string | undefined): StageName[] {
  if (value === undefined || value.trim() === '' || value.trim() === 'all') return [...STAGES];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isStageName(n));
  if (unknown.length > 0) {
    throw new Error(`Unknown stage(s) in QUEUES: ${unknown.join(', ')}. Known stages: ${STAGES.join(', ')}`);
  }
  return [...new Set(names)] as StageName[];
}
