import { STAGES } from '@lightbox/contracts';
import { z } from 'zod';

/** Who acts: the name the audit trail records, and the role that decides what is allowed. */
export interface Actor {
  name: string;
  role: 'editor' | 'admin';
}

/** A page of a list: `offset` items skipped, at most `limit` returned. Query strings are coerced. */
export const pageInput = (defaultLimit: number, maxLimit = 500) =>
  z.object({
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('items to skip'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(maxLimit)
      .default(defaultLimit)
      .describe(`items to return (1–${maxLimit})`),
  });

export const photoIdInput = z.object({ photoId: z.string().min(1).max(64) });
export const storyIdInput = z.object({ storyId: z.string().min(1).max(64) });
/** A photo in a story's gallery. */
export const storyPhotoInput = storyIdInput.extend({ photoId: z.string().min(1).max(64) });

export const stageSchema = z.enum(STAGES);

/** `{"error": {"code", "message"}}`: every error the API answers. */
export const errorSchema = z
  .object({
    error: z
      .object({
        code: z.string().describe('stable machine-readable code, e.g. not_found, validation_error'),
        message: z.string(),
      })
      .catchall(z.unknown()),
  })
  .meta({ id: 'Error' });

export const auditEntrySchema = z
  .object({
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    photoId: z.string().optional(),
    storyId: z.string().optional(),
    detail: z.string().optional(),
  })
  .meta({ id: 'AuditEntry' });
