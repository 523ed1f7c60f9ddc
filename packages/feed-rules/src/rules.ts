import type { PhotoMetadata, WatermarkConfig, WatermarkRule } from '@lightbox/contracts';
import type { FeedCadence } from '@lightbox/feed-watch';
import { deriveCredit } from '@lightbox/metadata';
import type { FeedExpiryRule, GraphicContentOptions, InvalidCredentialsPolicy } from '@lightbox/wire-rules';
import type { CreditRule, FeedRule, FeedRulesFile } from './schema.js';

/**
 * One feed's rules: its own over the file's `defaults`, field by field (codes, agency names and
 * graphic words merge, restrictions add up, watermark fields override one by one; the expiry and
 * the cadence are the feed's own when it has them).
 */
export function rulesForFeed(file: FeedRulesFile | undefined, feed: string): FeedRule {
  const d = file?.defaults ?? {};
  const f = file?.feeds[feed] ?? {};
  const merged: FeedRule = { ...d, ...f };
  if (d.codes || f.codes) merged.codes = { ...d.codes, ...f.codes };
  if (d.credit || f.credit)
    merged.credit = {
      ...((d.credit?.agencies || f.credit?.agencies) && {
        agencies: { ...d.credit?.agencies, ...f.credit?.agencies },
      }),
      ...((f.credit?.template ?? d.credit?.template) && {
        template: f.credit?.template ?? d.credit?.template,
      }),
    };
  if (d.restrictions || f.restrictions)
    merged.restrictions = withFeedRestrictions(d.restrictions, f.restrictions);
  if (d.watermark || f.watermark) merged.watermark = { ...d.watermark, ...f.watermark };
  if (d.graphicContent || f.graphicContent) {
    const words = [...new Set([...(d.graphicContent?.words ?? []), ...(f.graphicContent?.words ?? [])])];
    merged.graphicContent = { ...d.graphicContent, ...f.graphicContent, ...(words.length ? { words } : {}) };
  }
  return merged;
}

/** `\code` or `\code\` (Photo Mechanic style). */
const CODE = /\\([A-Za-z0-9_-]{1,32})\\?/g;

/** Replaces the desk's codes in a text: `\nyc` → "New York City". Unknown codes stay as typed. */
export function replaceCodes(text: string, codes: Record<string, string>): string {
  if (!text.includes('\\')) return text;
  const lower = new Map(Object.entries(codes).map(([k, v]) => [k.toLowerCase(), v]));
  return text.replace(CODE, (whole, code: string) => codes[code] ?? lower.get(code.toLowerCase()) ?? whole);
}

/** The text fields codes are replaced in. */
export const CODE_FIELDS = [
  'caption',
  'headline',
  'objectName',
  'event',
  'city',
  'sublocation',
  'provinceState',
  'country',
  'byline',
  'bylineTitle',
  'credit',
  'source',
  'specialInstructions',
] as const satisfies readonly (keyof PhotoMetadata)[];

/**
 * The record with the feed's codes replaced in its text fields and keywords; the credit line and
 * agency are derived again from what the codes gave.
 */
export function applyCodes(
  metadata: PhotoMetadata,
  codes: Record<string, string> | undefined,
): PhotoMetadata {
  if (!codes || Object.keys(codes).length === 0) return metadata;
  const out: PhotoMetadata = { ...metadata, keywords: metadata.keywords.map((k) => replaceCodes(k, codes)) };
  let changed = out.keywords.some((k, i) => k !== metadata.keywords[i]);
  for (const field of CODE_FIELDS) {
    const value = metadata[field];
    if (typeof value !== 'string') continue;
    const replaced = replaceCodes(value, codes);
    if (replaced !== value) {
      out[field] = replaced;
      changed = true;
    }
  }
  if (!changed) return metadata;
  const { creditLine: _line, parsedCredit: _parsed, agency: _agency, ...rest } = out;
  return deriveCredit(rest);
}

/**
 * The credit as the desk prints it: agency names mapped to the house name, then the template
 * filled from the parsed credit. A template naming a part the credit does not give leaves the line
 * as sent.
 */
export function normaliseCredit(metadata: PhotoMetadata, rule: CreditRule | undefined): PhotoMetadata {
  if (!rule) return metadata;
  const aliases = new Map(Object.entries(rule.agencies ?? {}).map(([k, v]) => [k.trim().toLowerCase(), v]));
  const mapAgency = (a: string | undefined) => (a ? (aliases.get(a.trim().toLowerCase()) ?? a) : a);
  const agency = mapAgency(metadata.parsedCredit?.agency ?? metadata.agency);
  const parts: Record<string, string | undefined> = {
    agency,
    photographer: metadata.parsedCredit?.photographer ?? metadata.byline,
    distributor: metadata.parsedCredit?.distributor,
    credit: metadata.credit,
  };
  let creditLine = metadata.creditLine;
  if (rule.template) {
    const names = [...rule.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    if (names.every((n) => parts[n]))
      creditLine = rule.template.replace(/\{(\w+)\}/g, (_, n: string) => parts[n] as string);
  }
  const out: PhotoMetadata = { ...metadata };
  if (creditLine !== undefined) out.creditLine = creditLine;
  if (agency !== undefined) out.agency = mapAgency(metadata.agency) ?? agency;
  if (metadata.parsedCredit && agency !== undefined) out.parsedCredit = { ...metadata.parsedCredit, agency };
  return out;
}

/** The photo's restrictions with the feed's defaults added: upper-case, each once, in order. */
export function withFeedRestrictions(
  restrictions: string[] | undefined,
  defaults: string[] | undefined,
): string[] {
  const out: string[] = [];
  for (const r of [...(restrictions ?? []), ...(defaults ?? [])]) {
    const v = r.replace(/\s+/g, ' ').trim().toUpperCase();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** What intake does with a feed's rules to a photo's record: codes, then the credit line. */
export function applyFeedRules(metadata: PhotoMetadata, rule: FeedRule): PhotoMetadata {
  return normaliseCredit(applyCodes(metadata, rule.codes), rule.credit);
}

/**
 * The watermark configuration with each feed's watermark as a rule for that feed (ahead of the
 * configured rules: the first rule that fits wins) and the file's default over the configured one.
 */
export function feedWatermarkConfig(
  file: FeedRulesFile | undefined,
  base: WatermarkConfig | undefined,
): WatermarkConfig | undefined {
  if (!file) return base;
  const rules: WatermarkRule[] = Object.entries(file.feeds)
    .filter(([, rule]) => rule.watermark)
    .map(([feed, rule]) => ({ match: { feed }, ...rule.watermark }));
  if (rules.length === 0 && !file.defaults?.watermark) return base;
  return {
    ...((base?.default || file.defaults?.watermark) && {
      default: { ...base?.default, ...file.defaults?.watermark },
    }),
    rules: [...rules, ...(base?.rules ?? [])],
  };
}

/** The feed's expiry for the licence-expiry rule (packages/wire-rules), if it has one. */
export function feedExpiryRule(rule: FeedRule): FeedExpiryRule | undefined {
  return rule.expiry;
}

/** The feed's settings for the graphic-content rule (packages/wire-rules). */
export function graphicContentOptions(rule: FeedRule): GraphicContentOptions {
  return rule.graphicContent ?? {};
}

/** What the feed does with credentials that do not verify (`hold` unless it says otherwise). */
export function invalidCredentialsPolicy(rule: FeedRule): InvalidCredentialsPolicy {
  return rule.invalidCredentials ?? 'hold';
}

/**
 * The cadences the file sets, for feed-watch: each feed's own or the defaults' (`cadenceOf`), and
 * the feeds it names with one (`watched`: judged before their first arrival).
 */
export function feedCadences(file: FeedRulesFile | undefined): {
  cadenceOf: (feed: string) => FeedCadence | undefined;
  watched: string[];
} {
  return {
    cadenceOf: (feed) => rulesForFeed(file, feed).cadence,
    watched: Object.keys(file?.feeds ?? {}).filter((feed) => rulesForFeed(file, feed).cadence),
  };
}
