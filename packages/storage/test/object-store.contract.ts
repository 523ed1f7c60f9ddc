import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectNotFoundError, type ObjectStore } from '../src/index.js';

/**
 * What every ObjectStore back end must do. Each back end (s3rver, MinIO, …) runs this same suite,
 * as bull-board's adapters share one contract suite.
 */
export function objectStoreContract(
  name: string,
  create: () => Promise<{
    store: ObjectStore;
    stop: () => Promise<void>;
    /**
     * s3rver is a fake here: a multipart object's ETag is a plain MD5, where real S3 (AWS, Swift,
     * SeaweedFS) gives the MD5 of the parts' MD5s with the part count (`"…-2"`). Lightbox never
     * compares an ETag with a content hash, so both must work.
     */
    plainMultipartEtag?: boolean;
  }>,
) {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    let stop: () => Promise<void>;
    let plainMultipartEtag = false;
    const prefix = `contract-${Math.random().toString(36).slice(2, 8)}/`;

    beforeAll(async () => {
      ({ store, stop, plainMultipartEtag = false } = await create());
      await store.ensureBucket();
    });
    afterAll(async () => stop?.());

    it('creating the bucket twice is fine', async () => {
      await store.ensureBucket();
      expect(await store.ping()).toBe(true);
    });

    it('round-trips a buffer with its content type and cache control', async () => {
      const key = `${prefix}a/b.json`;
      await store.put(key, Buffer.from('{"x":1}'), {
        contentType: 'application/json',
        cacheControl: 'public, max-age=15',
      });
      const { body, info } = await store.getWithInfo(key);
      expect(body.toString()).toBe('{"x":1}');
      expect(info.contentType).toMatch(/^application\/json/);
      expect(info.cacheControl).toBe('public, max-age=15');
      expect(info.etag).toBeTruthy();
      const head = await store.head(key);
      expect(head?.size).toBe(7);
    });

    it('stores a streamed body byte for byte (no aws-chunked framing)', async () => {
      const size = 7_000_000;
      const data = Buffer.alloc(size);
      for (let i = 0; i < size; i++) data[i] = (i * 31) & 0xff;
      const key = `${prefix}stream.bin`;
      const chunks = Array.from({ length: 7 }, (_, i) => data.subarray(i * 1_000_000, (i + 1) * 1_000_000));
      await store.put(key, Readable.from(chunks), {
        contentType: 'application/octet-stream',
        contentLength: size,
      });
      const back = await store.get(key);
      expect(back.length).toBe(size);
      expect(back.equals(data)).toBe(true);
    });

    it('stores a stream of unknown length (multipart)', async () => {
      const data = Buffer.alloc(9 * 1024 * 1024, 7);
      const key = `${prefix}multipart.bin`;
      const { etag } = await store.put(
        key,
        Readable.from([data.subarray(0, 4_000_000), data.subarray(4_000_000)]),
        { contentType: 'application/octet-stream' },
      );
      expect((await store.head(key))?.size).toBe(data.length);
      expect((await store.get(key)).equals(data)).toBe(true);
      // Two 8 MiB-at-most parts: a real S3 says so in the ETag.
      if (plainMultipartEtag) expect(etag).toMatch(/^"?[0-9a-f]{32}"?$/);
      else expect(etag).toMatch(/^"?[0-9a-f]{32}-2"?$/);
    });

    it('reports missing objects clearly', async () => {
      await expect(store.get(`${prefix}missing`)).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await store.head(`${prefix}missing`)).toBeUndefined();
    });

    it('lists keys under a prefix in order, and deletes idempotently', async () => {
      for (const k of ['l/2', 'l/1', 'l/3', 'other'])
        await store.put(`${prefix}${k}`, 'x', { contentType: 'text/plain' });
      expect(await store.list(`${prefix}l/`)).toEqual([`${prefix}l/1`, `${prefix}l/2`, `${prefix}l/3`]);
      await store.delete(`${prefix}l/2`);
      await store.delete(`${prefix}l/2`);
      expect(await store.list(`${prefix}l/`)).toEqual([`${prefix}l/1`, `${prefix}l/3`]);
    });

    it('copies objects server-side, keeping bytes and content type', async () => {
      await store.put(`${prefix}copy/src name.jpg`, Buffer.from('abc'), { contentType: 'image/jpeg' });
      await store.copy(`${prefix}copy/src name.jpg`, `${prefix}copy/dst.jpg`);
      const { body, info } = await store.getWithInfo(`${prefix}copy/dst.jpg`);
      expect(body.toString()).toBe('abc');
      expect(info.contentType).toBe('image/jpeg');
      await expect(store.copy(`${prefix}copy/missing`, `${prefix}copy/x`)).rejects.toBeInstanceOf(
        ObjectNotFoundError,
      );
    });

    it('builds public URLs from keys', () => {
      expect(store.publicUrl('renditions/ph_1/large.jpg')).toMatch(/\/renditions\/ph_1\/large\.jpg$/);
    });
  });
}
