import { DEFAULT_WATERMARK_STYLE, type WatermarkConfig, type WatermarkStyle } from '@lightbox/contracts';
import type { Watermark } from './watermark.js';

export interface WatermarkSubject {
  feed: string;
  agency?: string;
  /** Values for the text template. */
  credit?: string;
  photographer?: string;
  source?: string;
}

const matches = (want: string | string[] | undefined, value: string | undefined) =>
  want === undefined ||
  (value !== undefined &&
    (Array.isArray(want) ? want : [want]).some((w) => w.toLowerCase() === value.toLowerCase()));

/** The style for a photo: defaults, then the config default, then the first rule matching its feed and agency. */
export function resolveWatermarkStyle(
  config: WatermarkConfig | undefined,
  subject: WatermarkSubject,
): WatermarkStyle {
  let style: WatermarkStyle = { ...DEFAULT_WATERMARK_STYLE, ...(config?.default ?? {}) };
  const rule = config?.rules?.find(
    (r) => matches(r.match.feed, subject.feed) && matches(r.match.agency, subject.agency),
  );
  if (rule) {
    const { match: _match, ...overrides } = rule;
    style = { ...style, ...overrides };
  }
  return style;
}

/** Fills `{credit}`, `{agency}`, `{photographer}`, `{source}`; empty when the template needs a missing value. */
export function fillTemplate(template: string, subject: WatermarkSubject): string | undefined {
  let missing = false;
  const text = template.replace(
    /\{(credit|agency|photographer|source)\}/g,
    (_, name: keyof WatermarkSubject) => {
      const value = subject[name];
      if (!value) missing = true;
      return value ?? '';
    },
  );
  return missing ? undefined : text.trim() || undefined;
}

/**
 * Resolves the watermark to draw on a photo, or undefined for none. `logos` maps configured logo
 * paths to PNG bytes loaded once at start-up.
 */
export function resolveWatermark(
  config: WatermarkConfig | undefined,
  subject: WatermarkSubject,
  logos: ReadonlyMap<string, Buffer> = new Map(),
): Watermark | undefined {
  const style = resolveWatermarkStyle(config, subject);
  if (!style.enabled) return undefined;
  const text = style.text ? fillTemplate(style.text, subject) : undefined;
  const png = style.logo ? logos.get(style.logo) : undefined;
  if (style.logo && !png) throw new Error(`Watermark logo ${style.logo} was not loaded`);
  if (!text && !png) return undefined;
  return {
    text,
    logo: png && style.logo ? { png, key: style.logo } : undefined,
    position: style.position,
    opacity: style.opacity,
    textSize: style.textSize,
    logoSize: style.logoSize,
    margin: style.margin,
  };
}

/** Every logo path a watermark config refers to (to load at start-up). */
export function watermarkLogoPaths(config: WatermarkConfig | undefined): string[] {
  const paths = [config?.default?.logo, ...(config?.rules ?? []).map((r) => r.logo)].filter(
    (p): p is string => typeof p === 'string',
  );
  return [...new Set(paths)];
}
