/**
 * Embargo times. From NewsML-G2 `embargoed`, IIM Release Date/Time, or an "EMBARGOED UNTIL …"
 * instruction such as "EMBARGOED UNTIL 0001 GMT, Aug. 12, 2024" or "EMBARGO: 2024-08-12T00:01:00Z".
 */
export type EmbargoReading =
  | { state: 'none' }
  | { state: 'until'; until: string; source: string }
  | { state: 'unreadable'; text: string };

/** Zones with a fixed offset. */
const FIXED_ZONES: Record<string, string> = {
  GMT: '+00:00',
  UTC: '+00:00',
  Z: '+00:00',
  BST: '+01:00',
  CET: '+01:00',
  CEST: '+02:00',
  EET: '+02:00',
  EEST: '+03:00',
  EST: '-05:00',
  EDT: '-04:00',
  CST: '-06:00',
  CDT: '-05:00',
  MST: '-07:00',
  MDT: '-06:00',
  PST: '-08:00',
  PDT: '-07:00',
  JST: '+09:00',
  AEST: '+10:00',
  AEDT: '+11:00',
};

/** Generic zones whose offset depends on the date (daylight saving): "6 p.m. ET". */
const GENERIC_ZONES: Record<string, string> = {
  ET: 'America/New_York',
  CT: 'America/Chicago',
  MT: 'America/Denver',
  PT: 'America/Los_Angeles',
};

const ZONE_NAMES = [...Object.keys(FIXED_ZONES), ...Object.keys(GENERIC_ZONES)]
  .sort((a, b) => b.length - a.length)
  .join('|');
const CLOCK = new RegExp(
  `\\b(\\d{1,2})(?::?(\\d{2}))?\\s*(a\\.?m\\.?|p\\.?m\\.?)?\\s*(${ZONE_NAMES})\\b`,
  'i',
);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const pad = (n: number) => String(n).padStart(2, '0');

/** Offset (ms) of an IANA zone at an instant. */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - epochMs
  );
}

/** The instant of a wall-clock time in an IANA zone. */
function zonedToEpoch(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const first = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(first, timeZone);
}

/** An explicit end of an embargo ("EMBARGO LIFTED"), in the instructions or at the head of the caption. */
export const EMBARGO_RELEASE =
  /\b(EMBARGO(?:ES)? (?:IS |HAS BEEN |NOW )?(?:LIFTED|RELEASED|CANCELL?ED|REMOVED|ENDED|OVER)|RELEASED FOR (?:IMMEDIATE )?PUBLICATION|NO LONGER (?:UNDER )?EMBARGO(?:ED)?)\b/i;

/** Parses the time part of an embargo instruction; undefined when not understood. */
export function parseEmbargoTime(text: string): string | undefined {
  const t = text.trim();
  const iso = t.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})/);
  if (iso) {
    const ms = Date.parse(iso[0]);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const clock = t.match(CLOCK);
  // Date: "Aug. 12, 2024", "12 August 2024", "2024-08-12", "12/08/2024" (day first)
  let y: number | undefined;
  let mo: number | undefined;
  let d: number | undefined;
  const named1 = t.match(/\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b/);
  const named2 = t.match(/\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/);
  const isoDate = t.match(/\b(\d{4})-(\d{2})-(\d{2})\b/);
  const slash = t.match(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/);
  const month = (name: string) => {
    const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
    return i >= 0 ? i + 1 : undefined;
  };
  if (named1 && month(named1[1] as string))
    [mo, d, y] = [month(named1[1] as string), Number(named1[2]), Number(named1[3])];
  else if (named2 && month(named2[2] as string))
    [d, mo, y] = [Number(named2[1]), month(named2[2] as string), Number(named2[3])];
  else if (isoDate) [y, mo, d] = [Number(isoDate[1]), Number(isoDate[2]), Number(isoDate[3])];
  else if (slash) [d, mo, y] = [Number(slash[1]), Number(slash[2]), Number(slash[3])];
  if (!clock || y === undefined || mo === undefined || d === undefined) return undefined;
  let hour = Number(clock[1]);
  const minute = Number(clock[2] ?? 0);
  const meridiem = clock[3]?.toLowerCase().replace(/\./g, '');
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59 || mo > 12 || d > 31) return undefined;
  const zoneName = (clock[4] as string).toUpperCase();
  const generic = GENERIC_ZONES[zoneName];
  const ms = generic
    ? zonedToEpoch(y, mo, d, hour, minute, generic)
    : Date.parse(`${y}-${pad(mo)}-${pad(d)}T${pad(hour)}:${pad(minute)}:00${FIXED_ZONES[zoneName]}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The embargo a transmission carries, from its structured release date or its instructions. */
export function readEmbargo(
  releaseDate: string | undefined,
  ...instructions: (string | undefined)[]
): EmbargoReading {
  if (releaseDate) {
    const parsed = Date.parse(releaseDate);
    const until =
      parseEmbargoTime(releaseDate) ?? (Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString());
    if (until) return { state: 'until', until, source: 'release date' };
  }
  for (const text of instructions) {
    // "EMBARGO LIFTED" ends an embargo; it does not set one (see `interpretTransmission`).
    if (text && EMBARGO_RELEASE.test(text)) continue;
    const m = text?.match(/\bEMBARGO(?:ED)?\b\s*(?:UNTIL|TILL|TO|:)?\s*(.{0,80})/i);
    if (!m) continue;
    const until = parseEmbargoTime(m[1] as string);
    return until
      ? { state: 'until', until, source: 'instructions' }
      : { state: 'unreadable', text: m[0].trim() };
  }
  return { state: 'none' };
}
