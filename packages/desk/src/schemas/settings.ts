import { INTAKE_PRIORITIES, WEBHOOK_EVENTS } from '@lightbox/contracts';
import { z } from 'zod';

const settingId = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)')
  .describe('names it in logs, jobs and the audit trail');
const secret = z.string().min(16, 'at least 16 characters').max(256);

export const settingIdInput = z.object({ id: settingId });

/** Who made and last changed a setting. */
const settingMeta = {
  id: z.string(),
  source: z.enum(['environment', 'admin']).describe('environment: seeded at start from the environment'),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
};

export const webhookInput = z
  .object({
    id: settingId.optional(),
    url: z.url({ protocol: /^https?$/ }),
    secret: secret.optional().describe('the signing secret; generated when absent'),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1)
      .optional()
      .describe('default: the gallery and photo events'),
  })
  .strict();

export const webhookUpdateInput = z
  .object({
    url: z.url({ protocol: /^https?$/ }).optional(),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
    secret: secret.optional(),
    rotateSecret: z.literal(true).optional().describe('a new secret is generated and shown once'),
  })
  .strict();

/** A subscriber as listed: never its secret. */
export const webhookViewSchema = z
  .object({ ...settingMeta, url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)) })
  .meta({ id: 'WebhookSubscriber' });
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** The answer to a create, or an update that set a secret: the secret, this once. */
export const webhookWithSecretSchema = webhookViewSchema
  .extend({ secret: z.string().describe('shown once: store it now, Lightbox never shows it again') })
  .meta({ id: 'WebhookSubscriberWithSecret' });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

const feedName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (1–64)');
const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name');
const prefix = z
  .string()
  .max(512)
  .refine((p) => !p.startsWith('/') && !p.includes('..'), 'a key prefix such as incoming/ap/');

export const inboxInput = z
  .object({
    id: settingId.optional(),
    feed: feedName,
    bucket,
    prefix: prefix.default(''),
    priority: z
      .enum(INTAKE_PRIORITIES)
      .optional()
      .describe('bulk: an archive inbox; its photos wait behind live ones'),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("another S3 endpoint (default: Lightbox's own)"),
    region: z.string().max(64).optional(),
    accessKeyId: z.string().min(1).max(256).optional(),
    secretAccessKey: secret.optional().describe('write-only: never shown again'),
  })
  .strict()
  .refine((i) => !i.accessKeyId === !i.secretAccessKey, 'give accessKeyId and secretAccessKey together');

export const inboxUpdateInput = z
  .object({
    feed: feedName.optional(),
    bucket: bucket.optional(),
    prefix: prefix.optional(),
    priority: z.enum(INTAKE_PRIORITIES).optional(),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .optional(),
    region: z.string().max(64).nullable().optional(),
    accessKeyId: z.string().min(1).max(256).nullable().optional(),
    secretAccessKey: secret.nullable().optional(),
  })
  .strict();

/** An inbox as listed: its credentials only by their key id. */
export const inboxViewSchema = z
  .object({
    ...settingMeta,
    feed: z.string(),
    bucket: z.string(),
    prefix: z.string(),
    priority: z.enum(INTAKE_PRIORITIES),
    endpoint: z.string().nullable(),
    region: z.string().nullable(),
    accessKeyId: z.string().nullable().describe("null: Lightbox's own S3 credentials"),
  })
  .meta({ id: 'S3Inbox' });
export type InboxView = z.infer<typeof inboxViewSchema>;
