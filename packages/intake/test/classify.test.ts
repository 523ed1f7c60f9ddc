import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { classifyTransmission, transmissionFingerprint } from '../src/classify.js';
import { sniffImageFormat } from '../src/sniff.js';
import { wireJpeg } from './wire-jpeg.js';

const received = (head: Buffer) => ({ size: head.length, head, format: sniffImageFormat(head) });

describe('classifyTransmission', () => {
  it('takes an image, with its picture sidecar parsed', async () => {
    const jpeg = await wireJpeg({}, 1);
    expect(classifyTransmission(received(jpeg), 'up.jpg', undefined)).toMatchObject({
      verdict: 'image',
      format: { format: 'jpeg', contentType: 'image/jpeg' },
    });
    const sidecar = await readFile(fixturePath('real/newsml/LISTING_3_Photo_in_NewsML-G2.xml'));
    const taken = classifyTransmission(received(jpeg), undefined, sidecar);
    expect(taken.verdict === 'image' && taken.sidecar?.kind).toBe('picture');
  });

  it('refuses how bytes were sent: a hostile file name, a broken or non-picture sidecar', async () => {
    const jpeg = await wireJpeg({}, 2);
    expect(classifyTransmission(received(jpeg), '../etc/passwd', undefined)).toMatchObject({
      verdict: 'refused',
      code: 'invalid_filename',
    });
    expect(
      classifyTransmission(received(jpeg), undefined, Buffer.from('<newsItem guid="x"><itemMeta>')),
    ).toMatchObject({ verdict: 'refused', code: 'sidecar_xml_malformed' });
    const text = await readFile(fixturePath('real/newsml/LISTING_2_NewsML-G2_Text_Document.xml'));
    expect(classifyTransmission(received(jpeg), undefined, text)).toMatchObject({
      verdict: 'refused',
      code: 'sidecar_not_picture',
    });
  });

  it('finds bytes that can never be a photo: empty, not an image, too much JPEG metadata', () => {
    expect(classifyTransmission(received(Buffer.alloc(0)), undefined, undefined)).toMatchObject({
      verdict: 'unusable',
      code: 'empty_file',
    });
    expect(classifyTransmission(received(Buffer.from('<html>')), undefined, undefined)).toMatchObject({
      verdict: 'unusable',
      code: 'unsupported_format',
    });
    // 80 comment segments of 64 KB before any image data: over the 4 MB metadata limit.
    const segment = Buffer.concat([Buffer.from([0xff, 0xfe, 0xff, 0xff]), Buffer.alloc(65_533)]);
    const head = Buffer.concat([Buffer.from([0xff, 0xd8]), ...Array.from({ length: 80 }, () => segment)]);
    expect(classifyTransmission(received(head), undefined, undefined)).toMatchObject({
      verdict: 'unusable',
      code: 'metadata_too_large',
    });
  });

  it('a file name problem is found before anything about the bytes', () => {
    expect(classifyTransmission(received(Buffer.alloc(0)), 'a/b.jpg', undefined)).toMatchObject({
      verdict: 'refused',
      code: 'invalid_filename',
    });
  });
});

describe('transmissionFingerprint', () => {
  it('is the sha256 alone, or changes with the sidecar', () => {
    const sha = 'a'.repeat(64);
    expect(transmissionFingerprint(sha, undefined)).toBe(sha);
    const one = transmissionFingerprint(sha, Buffer.from('<kill/>'));
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(one).not.toBe(transmissionFingerprint(sha, Buffer.from('<update/>')));
  });
});
