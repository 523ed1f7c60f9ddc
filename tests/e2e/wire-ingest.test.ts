import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GalleryManifest } from '@lightbox/contracts';
import { S3ObjectStore } from '@lightbox/storage';
import { demoPath, eventually, fixturePath, tempDir } from '@lightbox/test-infra';
import { exiftool, type WriteTags } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type PhotoView } from '../support/api-types.js';
import {
  registerDemoStory,
  type StackUnderTest,
  stackApi,
  startStackProcess,
} from '../support/stack-process.js';

interface PhotoDetail extends PhotoView {
  version: number;
  versions: { version: number; kind: string; caption: string | null }[];
  restrictions: string[];
  renditions: { name: string; url: string }[];
}

/**
 * Issue "Wire ingest", end to end on the real stack: all four routes, a correction reaching a
 * published gallery, a kill leaving S3 and the gallery, and every kind of bad input with its reason.
 */
describe('wire ingest on the real stack', () => {
  let stack: StackUnderTest;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let inbox: S3ObjectStore;
  let storyId: string;

  const api = stackApi(() => stack);
  const push = async (body: Buffer, headers: Record<string, string> = {}) =>
    api('/v1/photos', {
      method: 'POST',
      token: stack.feedKey,
      headers: { 'content-type': 'image/jpeg', ...headers },
      body,
    });
  const photo = (id: string) => json<PhotoDetail>(api(`/v1/photos/${id}`, { token: stack.editorToken }));
  const gallery = async () => {
    const res = await api(`/v1/galleries/${storyId}`);
    return res.status === 200 ? json<GalleryManifest>(res) : undefined;
  };
  /** A demo photo with some IPTC/XMP fields rewritten, as an agency resend would be. */
  const variant = async (file: string, tags: WriteTags) => {
    const path = join(work.path, `${Math.random().toString(36).slice(2)}-${file}`);
    await copyFile(demoPath(`wire/${file}`), path);
    await exiftool.write(path, tags, { writeArgs: ['-overwrite_original'] });
    return readFile(path);
  };

  beforeAll(async () => {
    work = await tempDir();
    stack = await startStackProcess({
      LIGHTBOX_S3_INBOXES: 'afp=lightbox/incoming/',
      LIGHTBOX_S3_INBOX_POLL_MS: '300',
      LIGHTBOX_MAX_INPUT_PIXELS: '20000000',
    });
    inbox = new S3ObjectStore({ ...stack.s3, region: 'us-east-1' });
    const res = await registerDemoStory(stack);
    storyId = (await json<{ id: string }>(res)).id;
  });
  afterAll(async () => {
    inbox?.destroy();
    await exiftool.end();
    await stack?.destroy();
    await work?.remove();
  });

  const ids: Record<string, string> = {};

  it('takes photos by every route: raw HTTP, multipart with a sidecar, hot folder with a sidecar, S3 inbox', async () => {
    // 1. Raw HTTP body
    ids.http = (
      await json<{ photoId: string }>(
        push(await readFile(demoPath('wire/OLY_CLOSING_01.jpg')), { 'x-filename': 'OLY_CLOSING_01.jpg' }),
      )
    ).photoId;

    // 2. multipart/form-data with a NewsML-G2 picture sidecar that overrides the headline
    const sidecar = (await readFile(fixturePath('real/newsml/LISTING_3_Photo_in_NewsML-G2.xml')))
      .toString()
      .replace('GYI0062134533', 'OLYCC105')
      .replace(/<headline>[\s\S]*?<\/headline>/, '<headline>Sidecar headline: flag bearers parade</headline>')
      .replace(/<description role="drol:caption">[\s\S]*?<\/description>/, '')
      .replace(/<contentCreated>[^<]*<\/contentCreated>/, '')
      .replace(/<subject type="cpnat:geoArea"[\s\S]*?<\/subject>/g, '');
    const form = new FormData();
    form.append(
      'file',
      new Blob([await readFile(demoPath('wire/OLY_CLOSING_05.jpg'))], { type: 'image/jpeg' }),
      'OLY_CLOSING_05.jpg',
    );
    form.append('sidecar', new Blob([sidecar], { type: 'application/xml' }), 'OLY_CLOSING_05.xml');
    const multi = await api('/v1/photos', { method: 'POST', token: stack.feedKey, body: form });
    expect(multi.status).toBe(202);
    ids.multipart = (await json<{ photoId: string }>(multi)).photoId;

    // 3. Hot folder, with a sidecar beside the photo
    await writeFile(
      join(stack.dataDir, 'inbox', 'OLY_CLOSING_06.xml'),
      sidecar
        .replace('OLYCC105', 'OLYCC106')
        .replace('Sidecar headline: flag bearers parade', 'Hot folder sidecar headline'),
    );
    await copyFile(demoPath('wire/OLY_CLOSING_06.jpg'), join(stack.dataDir, 'inbox', 'OLY_CLOSING_06.jpg'));

    // 4. S3 inbox
    await inbox.put('incoming/OLY_CLOSING_07.jpg', await readFile(demoPath('wire/OLY_CLOSING_07.jpg')), {
      contentType: 'image/jpeg',
    });

    const manifest = await eventually(async () => {
      const g = await gallery();
      return g && g.photos.length === 4 ? g : undefined;
    }, 90_000);
    const byHeadline = await Promise.all(
      manifest.photos.map(async (p) => (await photo(p.photoId)).metadata.headline),
    );
    expect(byHeadline).toContain('Sidecar headline: flag bearers parade');
    expect(byHeadline).toContain('Hot folder sidecar headline');
    expect(await readdir(join(stack.dataDir, 'inbox', '_processed'))).toEqual([
      'OLY_CLOSING_06.jpg',
      'OLY_CLOSING_06.xml',
    ]);
    expect(await inbox.list('incoming/')).toEqual(['incoming/_processed/OLY_CLOSING_07.jpg']);
    const multipartPhoto = await photo(ids.multipart as string);
    expect(multipartPhoto).toMatchObject({ status: 'published', feed: 'wire' });
    expect((await photo(ids.http as string)).status).toBe('published');
  });

  it('a correction changes the caption in the published gallery', async () => {
    const before = (await gallery()) as GalleryManifest;
    const corrected =
      'CORRECTS SPELLING OF VENUE Tom Cruise is lowered onto the Stade de France during the 2024 Summer Olympics closing ceremony, Sunday, Aug. 11, 2024, in Saint-Denis, France. (AP Photo/Natacha Pisarenko)';
    const res = await push(
      await variant('OLY_CLOSING_01.jpg', {
        'IPTC:Caption-Abstract': corrected,
        'XMP-dc:Description': corrected,
      } as WriteTags),
    );
    expect(res.status).toBe(202);
    expect(await json(res)).toMatchObject({ photoId: ids.http, version: 2, kind: 'correction' });
    // Public text leaves the advisory header out; the record keeps the caption as received.
    const shown = corrected.replace('CORRECTS SPELLING OF VENUE ', '');
    const after = await eventually(async () => {
      const g = await gallery();
      return g?.photos.find((p) => p.photoId === ids.http)?.caption === shown ? g : undefined;
    }, 60_000);
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.photos).toHaveLength(4);
    const detail = await photo(ids.http as string);
    expect(detail.versions.map((v) => [v.version, v.kind])).toEqual([
      [1, 'original'],
      [2, 'correction'],
    ]);
  });

  it('a kill removes the photo from the gallery and its renditions from S3', async () => {
    const victim = await photo(ids.http as string);
    const urls = victim.renditions.map((r) => r.url);
    expect(urls.length).toBe(4);
    const res = await push(
      await variant('OLY_CLOSING_01.jpg', {
        'IPTC:Caption-Abstract': 'MANDATORY KILL. This photo has been withdrawn by the AP.',
        'XMP-dc:Description': 'MANDATORY KILL. This photo has been withdrawn by the AP.',
        'IPTC:SpecialInstructions': 'KILL',
      } as WriteTags),
    );
    expect(await json(res)).toMatchObject({ photoId: ids.http, status: 'killed', kind: 'kill' });
    await eventually(async () => {
      const g = await gallery();
      return g && !g.photos.some((p) => p.photoId === ids.http);
    }, 60_000);
    for (const url of urls) await eventually(async () => (await fetch(url)).status === 404, 30_000);
    expect(await photo(ids.http as string)).toMatchObject({ status: 'killed', renditions: [] });
  });

  it('every bad input ends rejected with its reason, and the next photo goes through', async () => {
    const good = await readFile(demoPath('wire/OLY_CLOSING_09.jpg'));
    const huge = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#345' } })
      .jpeg({ quality: 50 })
      .toBuffer();
    const segment = Buffer.concat([Buffer.from([0xff, 0xe1, 0xfd, 0xea]), Buffer.alloc(65_000, 0x20)]);
    const fatMetadata = Buffer.concat([
      good.subarray(0, 2),
      ...Array.from({ length: 70 }, () => segment),
      good.subarray(2),
    ]);
    const cases: [string, Buffer, Record<string, string>, RegExp][] = [
      ['zero bytes', Buffer.alloc(0), {}, /^empty_file/],
      [
        'HTML named .jpg',
        Buffer.from('<html><body>login</body></html>'),
        { 'x-filename': 'photo.jpg' },
        /^unsupported_format/,
      ],
      ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), {}, /^unsupported_format/],
      ['a truncated JPEG', good.subarray(0, Math.floor(good.length / 3)), {}, /^truncated_image/],
      ['over the pixel limit', huge, {}, /^too_many_pixels/],
      ['huge metadata blocks', fatMetadata, {}, /^metadata_too_large/],
      [
        'a path in the file name',
        await variant('OLY_CLOSING_10.jpg', { 'IPTC:Headline': 'path test' } as WriteTags),
        { 'x-filename': '../../etc/passwd' },
        /^invalid_filename/,
      ],
    ];
    for (const [label, body, headers, reason] of cases) {
      const res = await push(body, headers);
      const answer = await json<{ photoId?: string; error?: { photoId: string; code: string } }>(res);
      const id = answer.photoId ?? answer.error?.photoId;
      expect(id, label).toBeDefined();
      const rejected = await eventually(async () => {
        const p = await photo(id as string);
        return p.status === 'rejected' ? p : undefined;
      }, 60_000);
      expect(rejected.error, label).toMatch(reason);
    }
    // And the pipeline is healthy: the next photo is published.
    const next = await json<{ photoId: string }>(push(good));
    await eventually(async () => (await photo(next.photoId)).status === 'published', 60_000);
  });
});
