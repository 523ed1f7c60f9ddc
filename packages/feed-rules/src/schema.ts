import { watermarkStyleSchema } from '@lightbox/contracts';
import { feedCadenceSchema } from '@lightbox/feed-watch';
import { INVALID_CREDENTIALS_POLICIES } from '@lightbox/wire-rules';
import { z } from 'zod';

/** Same rule as feed keys and hot-folder feeds (`LIGHTBOX_FEED_KEYS`). */
const feedName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'feed names may only use letters, digits, _ . -');

/**
 * A code as photographers type it: `nyc` (written `\nyc` or `nyc` in the file). A backslash-n read
 * as a newline (a double-quoted YAML "\nyc") is refused with a hint.
 */
const code = z
  .string()
  .transform((c) => c.replace(/^\\/, ''))
  .pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,32}$/,
        'a code is 1–32 letters, digits, _ or - (in YAML write \\nyc unquoted or in single quotes: "\\n" in double quotes is a line break)',
      ),
  );

export const CREDIT_PLACEHOLDERS = ['agency', 'photographer', 'distributor', 'credit'] as const;

const creditTemplate = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (t) =>
      [...t.matchAll(/\{(\w+)\}/g)].every((m) =>
        (CREDIT_PLACEHOLDERS as readonly string[]).includes(m[1] as string),
      ),
    { message: `unknown placeholder: use ${CREDIT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` },
  );

/** How a feed's credit lines are printed. */
export const creditRuleSchema = z
  .object({
    /** Agency names as sent → the house name ("ASSOCIATED PRESS" → "AP"), case-insensitive. */
    agencies: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).optional(),
    /**
     * The printed line, from the parsed credit: `{agency} Photo/{photographer}`. Used when every
     * placeholder it names is known; otherwise the line as sent stays.
     */
    template: creditTemplate.optional(),
  })
  .strict();
export type CreditRule = z.infer<typeof creditRuleSchema>;

/** What the desk sets by hand for one feed (or for all, under `defaults`). */
export const feedRuleSchema = z
  .object({
    /** Code replacements: `\nyc` in a caption (or `\nyc\`) becomes "New York City". */
    codes: z.record(code, z.string().min(1).max(500)).optional(),
    credit: creditRuleSchema.optional(),
    /** Restrictions every photo of the feed carries ("NO SALES"), added to those it states. */
    restrictions: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    /** The feed's watermark, over the built-in default style. */
    watermark: watermarkStyleSchema.partial().optional(),
    /** The feed's licence expiry, for the expiry rule (`FeedExpiryRule` of packages/wire-rules). */
    expiry: z
      .object({
        /** Days after arrival (0: never). */
        expireAfterDays: z.number().int().min(0).max(36_500),
        /** `unpublished` (default): only pictures never published expire; `all`: every picture. */
        applies: z.enum(['unpublished', 'all']).default('unpublished'),
      })
      .strict()
      .optional(),
    /** Graphic-content settings, for the graphic-content rule (`GraphicContentOptions` of packages/wire-rules). */
    graphicContent: z
      .object({
        /** Words, phrases or desk codes meaning "graphic" in this feed (whole words, any case). */
        words: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
        /** Drop the built-in desk codes (such as SMOUT) for this feed. */
        withoutDefaultCodes: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /**
     * What a photo whose C2PA Content Credentials do not verify does: `hold` for an editor
     * (default), go to `review`, or `allow` (recorded as invalid, nothing more).
     */
    invalidCredentials: z.enum(INVALID_CREDENTIALS_POLICIES).optional(),
    /** Expected arrivals per hour (one figure or 24 per UTC hour); learned when absent. */
    cadence: feedCadenceSchema.optional(),
  })
  .strict();
export type FeedRule = z.infer<typeof feedRuleSchema>;

export const FEED_RULES_VERSION = 1;

/** The per-feed rules file: `version: 1`, `defaults` for every feed, and `feeds` by name. */
export const feedRulesFileSchema = z
  .object({
    version: z.literal(FEED_RULES_VERSION, { message: `version must be ${FEED_RULES_VERSION}` }),
    defaults: feedRuleSchema.optional(),
    feeds: z.record(feedName, feedRuleSchema).default({}),
  })
  .strict();
export type FeedRulesFile = z.infer<typeof feedRulesFileSchema>;
