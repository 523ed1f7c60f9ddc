import { describe, expect, it } from 'vitest';
import {
  captionCredit,
  literalXmpText,
  mergeMetadata,
  parseCredit,
  plusCode,
  readPhotoMetadata,
} from '../src/index.js';
import { iimBlock, jpegWithIim } from './iim-fixture.js';

describe('distributor', () => {
  it('a dpa-style credit with initials: agency Europa Press, via dpa', () => {
    const caption = 'Fans wave flags in Madrid. Photo: Oscar J. Barroso/EUROPA PRESS/dpa';
    expect(captionCredit(caption)).toBe('Photo: Oscar J. Barroso/EUROPA PRESS/dpa');
    expect(parseCredit(captionCredit(caption))).toEqual({
      raw: 'Photo: Oscar J. Barroso/EUROPA PRESS/dpa',
      photographer: 'Oscar J. Barroso',
      agency: 'Europa Press',
      distributor: 'dpa',
    });
  });

  it('is kept in the record, and follows a sidecar that changes the caption', () => {
    const base = mergeMetadata(
      { keywords: [] },
      { caption: 'A goal in Madrid. Photo: Jesus Hellin/EUROPA PRESS/dpa' },
    );
    expect(base).toMatchObject({ agency: 'Europa Press', distributor: 'dpa' });
    const resent = mergeMetadata(base, { caption: 'A goal in Madrid. (AP Photo/Manu Fernandez)' });
    expect(resent.agency).toBe('AP');
    expect(resent.distributor).toBeUndefined();
  });
});

describe('PLUS codes', () => {
  it.each([
    ['http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED', 'DMI-PROHIBITED'],
    ['DMI-ALLOWED', 'DMI-ALLOWED'],
    ['  http://ns.useplus.org/ldf/vocab/MR-NON ', 'MR-NON'],
    ['http://ns.useplus.org/ldf/vocab/', undefined],
    [undefined, undefined],
  ])('%s → %s', (value, code) => {
    expect(plusCode(value)).toBe(code);
  });
});

describe('XMP text that looks like a number stays text', () => {
  it('reads the literal from an element or an attribute', () => {
    const xmp = Buffer.from(
      '<rdf:Description Iptc4xmpExt:AISystemUsed="007" xmlns:Iptc4xmpExt="x"><Iptc4xmpExt:AISystemVersionUsed>3.10</Iptc4xmpExt:AISystemVersionUsed></rdf:Description>',
    );
    expect(literalXmpText(xmp, 'Iptc4xmpExt:AISystemVersionUsed')).toBe('3.10');
    expect(literalXmpText(xmp, 'Iptc4xmpExt:AISystemUsed')).toBe('007');
    expect(literalXmpText(xmp, 'Iptc4xmpExt:AIPromptWriterName')).toBeUndefined();
  });

  it('in a whole file (attribute form, as many tools write it)', async () => {
    const xmp =
      '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" Iptc4xmpExt:AISystemVersionUsed="2.0" Iptc4xmpExt:AISystemUsed="Imagen"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
    const { metadata } = await readPhotoMetadata(
      await jpegWithIim(iimBlock([[2, 0, Buffer.from([0, 4])]]), undefined, xmp),
    );
    expect(metadata).toMatchObject({ aiSystemUsed: 'Imagen', aiSystemVersionUsed: '2.0' });
  });
});
