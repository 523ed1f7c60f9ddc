import { readFile } from 'node:fs/promises';
import type { PhotoMetadata } from '@lightbox/contracts';
import { fixturePath } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { type NewsmlPicture, parseNewsml } from '../src/index.js';

interface SidecarCase {
  file: string;
  expect: Partial<PhotoMetadata>;
}
const { sidecars } = JSON.parse(await readFile(fixturePath('synthetic/cases.json'), 'utf8')) as {
  sidecars: SidecarCase[];
};

describe('the sender’s expiry in NewsML-G2 sidecars', () => {
  it.each(sidecars.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const item = parseNewsml(await readFile(fixturePath(`synthetic/${c.file}`))) as NewsmlPicture;
    expect(item.metadata).toMatchObject(c.expect);
  });

  it('no expiry in the IPTC examples', async () => {
    const item = parseNewsml(
      await readFile(fixturePath('real/newsml/LISTING_3_Photo_in_NewsML-G2.xml')),
    ) as NewsmlPicture;
    expect(item.metadata.expirationDate).toBeUndefined();
  });

  it('usage terms validto and an unreadable date', () => {
    const xml = (rights: string, expires: string) =>
      `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1" version="1"><rightsInfo>${rights}</rightsInfo><itemMeta><itemClass qcode="ninat:picture"/>${expires}</itemMeta><contentMeta/></newsItem>`;
    const parse = (r: string, e: string) => (parseNewsml(xml(r, e)) as NewsmlPicture).metadata.expirationDate;
    expect(
      parse('<usageTerms validto="2024-09-01">No archive</usageTerms>', '<expires>2024-09-05</expires>'),
    ).toBe('2024-09-01');
    expect(parse('', '<expires>soon</expires>')).toBeUndefined();
    expect(parse('', '<expires>2024-09-05T10:00:00</expires>')).toBe('2024-09-05T10:00:00');
  });
});
