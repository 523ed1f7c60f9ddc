/**
 * What the lifecycle chaos run sends: its feeds and story, and for each picture identity a small
 * picture of its own with the XMP a transmission of each kind carries.
 */
import sharp from 'sharp';
import type { ModelState, Tx } from './lifecycle-model.js';

export const FEEDS = [
  { feed: 'ap', group: 'ap' },
  { feed: 'ap2', group: 'ap' },
  { feed: 'rtr', group: 'rtr' },
  { feed: 'afp', group: 'afp' },
];
export const STORY = {
  slug: 'lifecycle-cup-final',
  headline: 'Lifecycle Cup final',
  event: {
    name: 'Lifecycle Cup final',
    venue: 'Stade Lumière',
    city: 'Lyon',
    country: 'France',
    start: '2024-09-01T18:00:00+02:00',
    end: '2024-09-01T23:30:00+02:00',
  },
};
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A small picture of its own per identity (noise in the identity's colours): no two are alike. */
export async function basePicture(identity: number): Promise<Buffer> {
  const [w, h] = [320, 240];
  const raw = Buffer.alloc(w * h * 3);
  let seed = identity * 7919 + 17;
  for (let i = 0; i < raw.length; i += 3) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const x = (i / 3) % w;
    raw[i] = (x + (seed % 60) + identity * 53) % 256;
    raw[i + 1] = ((seed >> 8) % 60) + ((identity * 97) % 190);
    raw[i + 2] = (255 - x + ((seed >> 16) % 60)) % 256;
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 70 })
    .toBuffer();
}

export function xmpFor(tx: Tx, guid: string, dateCreated: string): string {
  const instructions =
    tx.kind === 'kill'
      ? 'MANDATORY KILL'
      : tx.kind === 'release'
        ? 'EMBARGO LIFTED'
        : tx.embargoUntil !== undefined
          ? `EMBARGOED UNTIL ${new Date(tx.embargoUntil).toISOString()}`
          : '';
  const caption = tx.kind === 'kill' ? `MANDATORY KILL. ${tx.caption}` : tx.caption;
  return `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(caption)}</rdf:li></rdf:Alt></dc:description>
<photoshop:City>Lyon</photoshop:City><photoshop:Country>France</photoshop:Country>
<photoshop:Credit>AP</photoshop:Credit><photoshop:DateCreated>${dateCreated}</photoshop:DateCreated>
${instructions ? `<photoshop:Instructions>${xml(instructions)}</photoshop:Instructions>` : ''}
<Iptc4xmpExt:Event><rdf:Alt><rdf:li xml:lang="x-default">Lifecycle Cup final</rdf:li></rdf:Alt></Iptc4xmpExt:Event>
<Iptc4xmpExt:DigImageGUID>${guid}</Iptc4xmpExt:DigImageGUID>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

/** One picture identity of the run: what was sent for it, what came back, what the model allows. */
export interface IdentityRun {
  index: number;
  guid: string;
  dateCreated: string;
  base: Buffer;
  states: ModelState[];
  /** HTTP answers (photo ids) by transmission seq. */
  answers: Map<number, { status: number; photoId?: string; version?: number }>;
  txs: Tx[];
}
