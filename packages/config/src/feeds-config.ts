/** How wire feeds come in: their keys and groups, hot folders, S3 inboxes, upload limits, per-feed rules. */
import { FeedRulesError, type FeedRulesFile, parseFeedRules } from '@lightbox/feed-rules';
import { z } from 'zod';
import { ConfigError, emptyToUndefined, intFrom, optionalString, readSettingFile } from './env-values.js';

/** Feeds, intake routes and limits. */
export const feedsEnv = z.object({
  LIGHTBOX_FEED_KEYS: optionalString,
  LIGHTBOX_MAX_UPLOAD_BYTES: intFrom(50 * 1024 * 1024, 1),
  LIGHTBOX_FEED_GROUPS: optionalString,
  LIGHTBOX_HOTFOLDER_QUIET_MS: intFrom(5000),
  LIGHTBOX_HOTFOLDER_INCOMPLETE_MS: intFrom(60_000),
  LIGHTBOX_HOTFOLDER_POLL_MS: intFrom(500, 50),
  LIGHTBOX_HOTFOLDERS: optionalString,
  LIGHTBOX_HOTFOLDER_AFTER: z.preprocess(emptyToUndefined, z.enum(['move', 'delete']).default('move')),
  LIGHTBOX_HOTFOLDER_SIDECAR_WAIT_MS: intFrom(1000, 0),
  LIGHTBOX_S3_INBOXES: optionalString,
  LIGHTBOX_S3_INBOX_POLL_MS: intFrom(2000, 100),
  LIGHTBOX_FEED_RULES_FILE: optionalString,
  LIGHTBOX_C2PA_TRUST_ANCHORS: optionalString,
  LIGHTBOX_FEED_CHECK_SECONDS: intFrom(60, 1),
});

export interface FeedKey {
  feed: string;
  key: string;
}

/** Parses `LIGHTBOX_FEED_KEYS`: comma-separated `feed:key` pairs. */
export function parseFeedKeys(value: string | undefined): FeedKey[] {
  if (!value || value.trim() === '') return [];
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const idx = pair.indexOf(':');
      if (idx <= 0 || idx === pair.length - 1) {
        throw new Error(`LIGHTBOX_FEED_KEYS entry "${pair.split(':')[0]}:…" must be feed:key`);
      }
      const feed = pair.slice(0, idx).trim();
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(feed)) {
        throw new Error(`LIGHTBOX_FEED_KEYS feed name "${feed}" may only use letters, digits, _ . -`);
      }
      return { feed, key: pair.slice(idx + 1).trim() };
    });
}

/** Reads and validates the per-feed rules file; a bad one stops start-up naming its lines. */
export function feedRulesFile(file: string | undefined): FeedRulesFile | undefined {
  if (!file) return undefined;
  const source = `LIGHTBOX_FEED_RULES_FILE (${file})`;
  const text = readSettingFile(file, source);
  try {
    return parseFeedRules(text, source);
  } catch (err) {
    if (err instanceof FeedRulesError) throw new ConfigError(err.message);
    throw err;
  }
}
