import { s3Backends } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../src/index.js';
import { objectStoreContract } from './object-store.contract.js';

for (const backend of await s3Backends()) {
  objectStoreContract(backend.name, async () => {
    const s3 = await backend.start();
    const store = new S3ObjectStore({ ...s3, bucket: `lightbox-${Math.random().toString(36).slice(2, 8)}` });
    return {
      store,
      plainMultipartEtag: s3.kind === 's3rver',
      stop: async () => {
        store.destroy();
        await s3.stop();
      },
    };
  });
}

describe('S3ObjectStore', () => {
  it('uses PUBLIC_BASE_URL when given, else the path-style bucket URL', () => {
    const a = new S3ObjectStore({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'b' });
    expect(a.publicUrl('galleries/st_1/gallery.json')).toBe(
      'http://127.0.0.1:9000/b/galleries/st_1/gallery.json',
    );
    const b = new S3ObjectStore({
      endpoint: 'http://x',
      region: 'us-east-1',
      bucket: 'b',
      publicBaseUrl: 'https://cdn.example.com/',
    });
    expect(b.publicUrl('renditions/p/large.jpg')).toBe('https://cdn.example.com/renditions/p/large.jpg');
  });

  it('reports an unreachable endpoint as not healthy instead of throwing', async () => {
    const store = new S3ObjectStore({
      endpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      bucket: 'b',
      maxAttempts: 1,
    });
    expect(await store.ping(500)).toBe(false);
  });
});
