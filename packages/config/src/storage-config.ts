/** Object storage: the S3 endpoint, bucket and credentials, and where published objects are read. */
import { z } from 'zod';
import { emptyToUndefined, optionalString } from './env-values.js';

/** S3 and the public base URL. */
export const storageEnv = z.object({
  S3_ENDPOINT: optionalString,
  S3_REGION: z.preprocess(emptyToUndefined, z.string().default('us-east-1')),
  S3_BUCKET: z.preprocess(emptyToUndefined, z.string().default('lightbox')),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  PUBLIC_BASE_URL: optionalString,
});
