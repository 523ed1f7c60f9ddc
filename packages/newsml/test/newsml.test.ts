import { readFile } from 'node:fs/promises';
import { storyInputSchema } from '@lightbox/contracts';
import { fixturePath } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import {
  durationMs,
  NewsmlError,
  type NewsmlEvent,
  type NewsmlPicture,
  type NewsmlText,
  parseNewsml,
  storyFromNewsml,
} from '../src/index.js';

const fixture = (name: string) => readFile(fixturePath(`real/newsml/${name}`));

describe('IPTC NewsML-G2 examples', () => {
  it('Getty picture newsItem: caption, creator, credit, rights, place, guid, version', async () => {
    const item = parseNewsml(await fixture('LISTING_3_Photo_in_NewsML-G2.xml')) as NewsmlPicture;
    expect(item).toMatchObject({
      kind: 'picture',
      guid: 'tag:gettyimages.com,2010:GYI0062134533',
      version: 11,
      signals: [],
    });
    expect(item.metadata).toMatchObject({
      headline: 'Variety Of Recessionary Forces Leave Las Vegas Economy Scarred',
      byline: 'Spencer Platt',
      credit: 'Getty Images',
      dateCreated: '2010-10-20T19:45:58-04:00',
      city: 'Las Vegas',
      provinceState: 'Nevada',
      country: 'United States',
      countryCode: 'USA',
      keywords: ['business', 'economic', 'economy', 'finance', 'poor', 'poverty', 'gamble'],
    });
    expect(item.metadata.caption).toMatch(
      /^A general view of part of downtown.*\(Photo by Spencer Platt\/Getty Images\)$/,
    );
    expect(item.metadata.copyright).toBe(
      'Copyright 2010 Getty Images. -- http://www.gettyimages.com/Corporate/LicenseInfo.aspx',
    );
    expect(item.metadata.usageTerms).toMatch(/^Contact your local office for all commercial/);
  });

  it('embedded-metadata mapping example: title, job title, system reference, usage terms', async () => {
    const item = parseNewsml(
      await fixture('LISTING_26_Embedded_photo_metadata_fields_mapped_to_NewsML-G2.xml'),
    ) as NewsmlPicture;
    expect(item.pubStatus).toBe('usable');
    expect(item.metadata).toMatchObject({
      objectName: 'USA-CRASH/MILITARY',
      byline: 'John Smith',
      bylineTitle: 'Staff Photographer',
      credit: 'Acme/John Smith',
      usageTerms: 'NO ARCHIVAL OR WIRELESS USE',
      transmissionReference: 'SAD02',
      urgency: 4,
      dateCreated: '2008-12-08T17:30:00-08:00',
    });
  });

  it('text newsItem registers a story from headline, slugline and located', async () => {
    const item = parseNewsml(await fixture('LISTING_2_NewsML-G2_Text_Document.xml')) as NewsmlText;
    expect(item).toMatchObject({
      kind: 'text',
      slugline: 'US-Finance-Fed',
      located: 'New York, NY',
      headline: 'Fed to halt QE to avert "bubble"',
    });
    const story = storyFromNewsml(item);
    expect(story).toEqual({
      slug: 'us-finance-fed',
      headline: 'Fed to halt QE to avert "bubble"',
      event: {
        name: 'Fed to halt QE to avert "bubble"',
        start: '2016-11-21T00:00:00-05:00',
        end: '2016-11-21T23:59:59-05:00',
        city: 'New York',
      },
    });
    expect(storyInputSchema.safeParse(story).success).toBe(true);
  });

  it('event conceptItem registers a story over its dates and duration', async () => {
    const item = parseNewsml(await fixture('LISTING_14_Event_sent_as_a_Concept_Item.xml')) as NewsmlEvent;
    expect(item).toMatchObject({
      kind: 'event',
      name: 'IPTC Autumn Meeting 2018',
      start: '2018-10-26T09:00:00Z',
      duration: 'P2D',
    });
    const story = storyFromNewsml(item);
    expect(story).toMatchObject({
      slug: 'iptc-autumn-meeting-2018',
      event: {
        name: 'IPTC Autumn Meeting 2018',
        start: '2018-10-26T09:00:00Z',
        end: '2018-10-28T09:00:00Z',
        city: 'London',
        country: 'United Kingdom',
        ids: ['urn:newsml:iptc.org:20160422:qqwpiruuew4711', 'event:1234567'],
      },
    });
    expect(item.ids).toEqual(['urn:newsml:iptc.org:20160422:qqwpiruuew4711', 'event:1234567']);
    expect(storyInputSchema.safeParse(story).success).toBe(true);
  });

  it('refuses packages with a clear reason', async () => {
    expect(() => parseNewsml(Buffer.from('<packageItem guid="x"/>'))).toThrow(
      /Unsupported NewsML-G2 root element <packageItem>/,
    );
    await expect(async () =>
      parseNewsml(await fixture('LISTING_6_Simple_NewsML-G2_Package.xml')),
    ).rejects.toThrow(NewsmlError);
  });
});

describe('hostile XML', () => {
  it.each([
    [
      'external entity (XXE)',
      '<?xml version="1.0"?><!DOCTYPE newsItem [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><newsItem guid="x">&xxe;</newsItem>',
    ],
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><newsItem guid="x">&lol3;</newsItem>',
    ],
  ])('refuses %s without expanding anything', (_label, xml) => {
    expect(() => parseNewsml(xml)).toThrow(expect.objectContaining({ code: 'xml_dtd_forbidden' }));
  });

  it('refuses oversized and malformed XML', () => {
    expect(() => parseNewsml(`<newsItem guid="x">${'a'.repeat(1_100_000)}</newsItem>`)).toThrow(
      expect.objectContaining({ code: 'xml_too_large' }),
    );
    expect(() => parseNewsml('<newsItem guid="x"><itemMeta></newsItem>')).toThrow(
      expect.objectContaining({ code: 'xml_malformed' }),
    );
    expect(() =>
      parseNewsml('<newsItem><itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>'),
    ).toThrow(/no guid/);
  });
});

describe('picture item signals', () => {
  it('reads pubStatus canceled, embargoes and correction signals', () => {
    const xml = `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="2"><itemMeta><itemClass qcode="ninat:picture"/><pubStatus qcode="stat:canceled"/><embargoed>2024-08-12T00:01:00Z</embargoed><signal qcode="sig:correction"/></itemMeta><contentMeta><headline>H</headline></contentMeta></newsItem>`;
    expect(parseNewsml(xml)).toMatchObject({
      pubStatus: 'canceled',
      embargoed: '2024-08-12T00:01:00Z',
      signals: ['sig:correction'],
      version: 2,
    });
  });
  it('durations', () => {
    expect(durationMs('P2D')).toBe(2 * 86_400_000);
    expect(durationMs('PT3H30M')).toBe(3.5 * 3_600_000);
    expect(durationMs('P1W')).toBe(7 * 86_400_000);
    expect(durationMs('tomorrow')).toBeUndefined();
  });
});

describe('exact keys: event identifiers and linked pictures', () => {
  const apText = `<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="tag:ap.org:2024:text:4f1e" version="3" standard="NewsML-G2" standardversion="2.30">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:AP"/>
    <pubStatus qcode="stat:usable"/>
    <link rel="irel:seeAlso" residref="urn:newsml:ap.org:20241231:event:nye-london" version="1"/>
    <link rel="irel:associatedWith" residref="tag:ap.org:2024:pic:a1b2c3" contenttype="image/jpeg"/>
    <link rel="irel:associatedWith" residref="tag:ap.org:2024:pic:d4e5f6" contenttype="image/jpeg"/>
    <link rel="irel:associatedWith" href="https://newsroom.ap.org/pic/778899"/>
    <link rel="irel:previousVersion" residref="tag:ap.org:2024:text:4f1e" version="2"/>
    <link rel="irel:seeAlso"/>
  </itemMeta>
  <contentMeta>
    <contentCreated>2024-12-31T22:10:00+00:00</contentCreated>
    <located><name>London</name></located>
    <subject type="cpnat:event" qcode="apevent:nye2024-lon" uri="https://events.ap.org/nye2024-lon"><name>New Year's Eve in London</name></subject>
    <slugline>Britain New Year</slugline>
    <headline>London sees in 2025 with fireworks over the Thames</headline>
  </contentMeta>
</newsItem>`;

  it('a text newsItem carries its event subject and its seeAlso/associatedWith links as story keys', () => {
    const item = parseNewsml(apText) as NewsmlText;
    expect(item.links).toEqual([
      { rel: 'irel:seeAlso', ref: 'urn:newsml:ap.org:20241231:event:nye-london' },
      { rel: 'irel:associatedWith', ref: 'tag:ap.org:2024:pic:a1b2c3' },
      { rel: 'irel:associatedWith', ref: 'tag:ap.org:2024:pic:d4e5f6' },
      { rel: 'irel:associatedWith', ref: 'https://newsroom.ap.org/pic/778899' },
    ]);
    const story = storyFromNewsml(item);
    expect(story.event).toMatchObject({
      name: "New Year's Eve in London",
      city: 'London',
      ids: [
        'apevent:nye2024-lon',
        'https://events.ap.org/nye2024-lon',
        'urn:newsml:ap.org:20241231:event:nye-london',
        'tag:ap.org:2024:pic:a1b2c3',
        'tag:ap.org:2024:pic:d4e5f6',
        'https://newsroom.ap.org/pic/778899',
      ],
    });
    expect(storyInputSchema.safeParse(story).success).toBe(true);
  });

  it('a text newsItem without events or links registers a story without keys', async () => {
    const story = storyFromNewsml(parseNewsml(await fixture('LISTING_2_NewsML-G2_Text_Document.xml')));
    expect(story.event).not.toHaveProperty('ids');
  });

  it('a picture newsItem gives the photo its event ids', () => {
    const xml = `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="tag:ap.org:2024:pic:a1b2c3" version="1"><itemMeta><itemClass qcode="ninat:picture"/></itemMeta><contentMeta><headline>Fireworks</headline><subject type="cpnat:event" qcode="apevent:nye2024-lon"><name>New Year's Eve in London</name></subject><subject type="cpnat:abstract" qcode="medtop:01000000"/></contentMeta></newsItem>`;
    const item = parseNewsml(xml) as NewsmlPicture;
    expect(item.guid).toBe('tag:ap.org:2024:pic:a1b2c3');
    expect(item.metadata).toMatchObject({
      event: "New Year's Eve in London",
      eventIds: ['apevent:nye2024-lon'],
    });
    const none = parseNewsml(xml.replace(/<subject type="cpnat:event".*?<\/subject>/, '')) as NewsmlPicture;
    expect(none.metadata).not.toHaveProperty('eventIds');
  });

  it('an event conceptItem lists its guid, conceptId and sameAs identifiers once', () => {
    const xml = `<conceptItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:ap.org:20241231:event:nye-london" version="1"><itemMeta><itemClass qcode="cinat:concept"/></itemMeta><concept><conceptId qcode="apevent:nye2024-lon"/><type qcode="cpnat:event"/><sameAs uri="https://events.ap.org/nye2024-lon"/><sameAs qcode="apevent:nye2024-lon"/><name>New Year's Eve in London</name><eventDetails><dates><start>2024-12-31T20:00:00+00:00</start><end>2025-01-01T02:00:00+00:00</end></dates><location><name>Victoria Embankment, London, United Kingdom</name></location></eventDetails></concept></conceptItem>`;
    const story = storyFromNewsml(parseNewsml(xml));
    expect(story.event.ids).toEqual([
      'urn:newsml:ap.org:20241231:event:nye-london',
      'apevent:nye2024-lon',
      'https://events.ap.org/nye2024-lon',
    ]);
    expect(story.event).toMatchObject({ city: 'London', country: 'United Kingdom' });
  });
});
