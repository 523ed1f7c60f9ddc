/**
 * Finding a C2PA manifest store in an asset's bytes without decoding it: JUMBF in JPEG APP11
 * segments (ISO 19566-5, possibly split over many segments) or a PNG `caBX` chunk. The store is
 * returned as the standalone `application/c2pa` byte stream, the form kept as
 * `provenance/<id>.c2pa`.
 */

import { jpegHeaderSegments } from '@lightbox/metadata';

/** JUMBF description box type of a C2PA manifest store: "c2pa" + ISO 19566-5 suffix. */
const C2PA_STORE_UUID = Buffer.from('6332706100110010800000aa00389b71', 'hex');

const JPEG_APP11 = 0xeb;

interface App11Packet {
  instance: number;
  sequence: number;
  /** Box bytes of this packet (the first packet's include the box header). */
  body: Buffer;
}

/**
 * APP11 JPEG XT packets carrying JUMBF ("JP" common identifier), in file order; `complete` when the
 * header walk reached the image data through well-formed segments.
 */
function jpegJumbfPackets(jpeg: Buffer): { packets: App11Packet[]; complete: boolean } {
  const { segments, complete } = jpegHeaderSegments(jpeg);
  const packets = segments
    .filter(
      (s) =>
        s.marker === JPEG_APP11 && s.payload.length >= 8 && s.payload[0] === 0x4a && s.payload[1] === 0x50,
    )
    .map((s) => ({
      instance: s.payload.readUInt16BE(2),
      sequence: s.payload.readUInt32BE(4),
      body: s.payload.subarray(8),
    }));
  return { packets, complete };
}

/** Length of a box header: LBox + TBox, plus XLBox when LBox is 1. */
function boxHeaderLength(box: Buffer): number {
  return box.length >= 4 && box.readUInt32BE(0) === 1 ? 16 : 8;
}

/** Declared box length (LBox, or XLBox), or undefined when not readable. */
function boxLength(box: Buffer): number | undefined {
  if (box.length < 8) return undefined;
  const lbox = box.readUInt32BE(0);
  if (lbox === 1) return box.length >= 16 ? Number(box.readBigUInt64BE(8)) : undefined;
  return lbox === 0 ? box.length : lbox;
}

/** True when a JUMBF superbox is a C2PA manifest store (its description box has the c2pa type). */
export function isC2paManifestStore(box: Buffer): boolean {
  if (box.length < 8 + 8 + 16 || box.toString('latin1', 4, 8) !== 'jumb') return false;
  const description = box.subarray(boxHeaderLength(box));
  return (
    description.toString('latin1', 4, 8) === 'jumd' && description.subarray(8, 24).equals(C2PA_STORE_UUID)
  );
}

/** The C2PA manifest store of a JPEG, reassembled from its APP11 packets. */
function jpegManifestStore(jpeg: Buffer): Buffer | undefined {
  const byInstance = new Map<number, App11Packet[]>();
  for (const packet of jpegJumbfPackets(jpeg).packets)
    byInstance.set(packet.instance, [...(byInstance.get(packet.instance) ?? []), packet]);
  for (const packets of byInstance.values()) {
    packets.sort((a, b) => a.sequence - b.sequence);
    const first = packets[0] as App11Packet;
    const header = boxHeaderLength(first.body);
    // Every continuation packet repeats the box header; the payload follows it.
    const box = Buffer.concat([first.body, ...packets.slice(1).map((p) => p.body.subarray(header))]);
    const length = boxLength(box);
    if (length === undefined || length > box.length) continue;
    const store = box.subarray(0, length);
    if (isC2paManifestStore(store)) return store;
  }
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The `caBX` chunk of a PNG; `complete` when the chunk walk reached IEND. */
function pngCabx(png: Buffer): { chunk?: Buffer; complete: boolean } {
  let offset = 8;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > png.length) break;
    if (type === 'caBX') return { chunk: png.subarray(offset + 8, offset + 8 + length), complete: true };
    if (type === 'IEND') return { complete: true };
    offset += 12 + length;
  }
  return { complete: false };
}

/** The C2PA manifest store of a PNG: the `caBX` chunk. */
function pngManifestStore(png: Buffer): Buffer | undefined {
  const { chunk } = pngCabx(png);
  return chunk && isC2paManifestStore(chunk) ? chunk : undefined;
}

/** Container formats whose embedded manifest store Lightbox can find itself. */
export function sniffContainer(bytes: Buffer): 'jpeg' | 'png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  return undefined;
}

/**
 * The embedded C2PA manifest store of a JPEG (APP11 JUMBF) or PNG (`caBX`) as `application/c2pa`
 * bytes, or undefined when there is none (or the format is another). Never throws for broken files.
 */
export function extractManifestStore(bytes: Buffer): Buffer | undefined {
  const container = sniffContainer(bytes);
  if (container === 'jpeg') return jpegManifestStore(bytes);
  if (container === 'png') return pngManifestStore(bytes);
  return undefined;
}

/**
 * True when a JPEG or PNG was read up to its image data without meeting any JUMBF (APP11) segment
 * or `caBX` chunk: it certainly has no embedded manifest store, and the SDK need not be started.
 * False for other formats, broken headers and any file with JUMBF, whole or not.
 */
export function provablyWithoutManifestStore(bytes: Buffer): boolean {
  const container = sniffContainer(bytes);
  // A walk that breaks on damaged bytes proves nothing by itself, but a manifest store is a JUMBF
  // superbox (type `jumb`): bytes without one anywhere have none (a broken image is not a
  // credentials failure; render refuses it with its own reason).
  const noJumbfBox = () => !bytes.includes(JUMBF_SUPERBOX);
  if (container === 'jpeg') {
    const scan = jpegJumbfPackets(bytes);
    return scan.packets.length === 0 && (scan.complete || noJumbfBox());
  }
  if (container === 'png') {
    const scan = pngCabx(bytes);
    return scan.chunk === undefined && (scan.complete || noJumbfBox());
  }
  return false;
}

const JUMBF_SUPERBOX = Buffer.from('jumb', 'latin1');

/**
 * A remote manifest reference (XMP `dcterms:provenance`): the asset says its credentials live at a
 * URL. Lightbox records it and never fetches it.
 */
export function remoteManifestUrl(bytes: Buffer): string | undefined {
  const at = bytes.indexOf('dcterms:provenance');
  if (at < 0) return undefined;
  const near = bytes.toString('utf8', at, Math.min(bytes.length, at + 2100));
  const m =
    near.match(/^dcterms:provenance\s*=\s*["']([^"']{1,2000})["']/) ??
    near.match(/^dcterms:provenance>([^<]{1,2000})</);
  const url = m?.[1]?.trim();
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
