import { z } from 'zod';

export const feedIncidentSchema = z
  .object({
    id: z.string().describe('stable: the webhook events of one incident name it'),
    feed: z.string(),
    kind: z.enum(['silence', 'rejections']),
    openedAt: z.string(),
    closedAt: z.string().optional(),
    reason: z.string(),
  })
  .meta({ id: 'FeedIncident' });

/** One feed's health as the feeds page, `/metrics` and `GET /v1/feeds` show it. */
export const feedHealthSchema = z
  .object({
    feed: z.string(),
    lastArrivalAt: z.string().nullable(),
    silent: z.boolean().describe('a silence incident is open: no arrival although several were expected'),
    rejecting: z.boolean().describe('a rejection incident is open: its rejection rate jumped'),
    expectedThisHour: z
      .number()
      .nullable()
      .describe('arrivals the cadence expects in the current UTC hour (null while unknown)'),
    cadence: z.enum(['set', 'learned by hour', 'learned overall']).nullable(),
    recent: z.object({
      windowMinutes: z.number().int(),
      transmissions: z.number().int(),
      rejected: z.number().int(),
      rejectionRate: z.number(),
    }),
    openIncidents: z.array(feedIncidentSchema),
    recentIncidents: z.array(feedIncidentSchema).describe('closed incidents, newest first'),
  })
  .meta({ id: 'FeedHealth' });
export type FeedHealthView = z.infer<typeof feedHealthSchema>;
