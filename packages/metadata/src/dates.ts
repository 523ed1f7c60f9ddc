/**
 * Capture dates. A wire photo's date must keep its own UTC offset: a ceremony at 23:30 CEST is a
 * different calendar day in UTC. When no offset is known the result is a bare local time and the
 * zone is reported `unknown`, never silently the server's zone.
 */
export interface CaptureDate {
  /** ISO 8601: `YYYY-MM-DDThh:mm:ss±hh:mm`, `YYYY-MM-DDThh:mm:ss` (zone unknown) or `YYYY-MM-DD` (date only). */
  iso: string;
  zone: 'explicit' | 'unknown';
  source: 'iim' | 'xmp' | 'exif';
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1800 || y > 2200) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function formatOffset(sign: string, hh: string, mm: string): string | undefined {
  const h = Number(hh);
  const m = Number(mm);
  if (h > 14 || m > 59) return undefined;
  if (h === 0 && m === 0) return '+00:00';
  return `${sign}${hh}:${mm}`;
}

/** IIM 2:55 `CCYYMMDD` + 2:60 `HHMMSS±HHMM` (offset optional in practice). */
export function iimCaptureDate(date: string | undefined, time: string | undefined): CaptureDate | undefined {
  const d = date?.trim().match(/^(\d{4})(\d{2})(\d{2})$/);
  if (!d) return undefined;
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (!validDate(y, mo, da)) return undefined;
  const day = `${d[1]}-${d[2]}-${d[3]}`;
  // "000000" without a zone is the usual filler for "no time given", not a claim of midnight.
  const t =
    time?.trim() === '000000' ? null : time?.trim().match(/^(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})(\d{2}))?$/);
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3]) > 59) {
    return { iso: day, zone: 'unknown', source: 'iim' };
  }
  const clock = `${t[1]}:${t[2]}:${t[3]}`;
  const offset = t[4] ? formatOffset(t[4], t[5] as string, t[6] as string) : undefined;
  return offset
    ? { iso: `${day}T${clock}${offset}`, zone: 'explicit', source: 'iim' }
    : { iso: `${day}T${clock}`, zone: 'unknown', source: 'iim' };
}

/** XMP date (ISO 8601 subset): `YYYY`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s]][TZD]`. */
export function xmpCaptureDate(value: string | undefined): CaptureDate | undefined {
  const m = value
    ?.trim()
    .match(
      /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))?)?$/,
    );
  if (!m) return undefined;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined) return { iso: day, zone: 'unknown', source: 'xmp' };
  const clock = `${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  let offset: string | undefined;
  if (m[7] === 'Z') offset = '+00:00';
  else if (m[8]) offset = formatOffset(m[8], m[9] as string, m[10] as string);
  return offset
    ? { iso: `${day}T${clock}${offset}`, zone: 'explicit', source: 'xmp' }
    : { iso: `${day}T${clock}`, zone: 'unknown', source: 'xmp' };
}

/** EXIF DateTimeOriginal `YYYY:MM:DD hh:mm:ss` + OffsetTimeOriginal `±hh:mm`. */
export function exifCaptureDate(
  dateTime: string | undefined,
  offset: string | undefined,
): CaptureDate | undefined {
  const m = dateTime?.trim().match(/^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/);
  if (!m) return undefined;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  const local = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  const o = offset?.trim().match(/^([+-])(\d{2}):(\d{2})$/);
  const off = o ? formatOffset(o[1] as string, o[2] as string, o[3] as string) : undefined;
  if (offset?.trim() === 'Z') return { iso: `${local}+00:00`, zone: 'explicit', source: 'exif' };
  return off
    ? { iso: `${local}${off}`, zone: 'explicit', source: 'exif' }
    : { iso: local, zone: 'unknown', source: 'exif' };
}

/** Local wall-clock part of an ISO date (`YYYY-MM-DDThh:mm:ss`), without offset. */
function localPart(iso: string): string {
  return iso.slice(0, 19);
}

/**
 * Picks the capture date in the order IIM DateCreated+TimeCreated, XMP photoshop:DateCreated, EXIF
 * DateTimeOriginal. A zone-less winner borrows the offset of a lower-priority source that states the
 * same wall-clock time.
 */
export function chooseCaptureDate(candidates: (CaptureDate | undefined)[]): CaptureDate | undefined {
  const present = candidates.filter((c): c is CaptureDate => c !== undefined);
  const best = present[0];
  if (!best || best.zone === 'explicit') return best;
  if (best.iso.length >= 19) {
    const donor = present.find((c) => c.zone === 'explicit' && localPart(c.iso) === localPart(best.iso));
    if (donor) return { iso: `${best.iso}${donor.iso.slice(19)}`, zone: 'explicit', source: best.source };
  } else {
    // Date only: a fuller timestamp on the same day is better.
    const fuller = present.find((c) => c.iso.length >= 19 && c.iso.startsWith(best.iso));
    if (fuller) return fuller;
  }
  return best;
}
