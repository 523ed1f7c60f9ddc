import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedS3, Sha256, startS3rver } from '../src/index.js';

const run = promisify(execFile);

/** A real curl, as the attacker in issue 12 used: returns the HTTP status. */
async function curl(args: string[]): Promise<number> {
  const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args]);
  return Number(stdout);
}

/** Sends a raw request; returns status and body. */
function send(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // Options, not a URL string: a URL would be normalised ("a/../b" → "b") before it is sent.
    const u = new URL(url);
    const path = url.slice(url.indexOf('/', u.protocol.length + 2));
    const options = { hostname: u.hostname, port: u.port, path, method: init.method, headers: init.headers };
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** The SDK as Lightbox configures it (path-style, checksums only when required). */
class Bucket {
  readonly client: S3Client;
  constructor(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
    this.client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials,
    });
  }
  async put(key: string, body: string | Buffer) {
    await this.client.send(new PutObjectCommand({ Bucket: 'lightbox', Key: key, Body: body }));
  }
  async get(key: string): Promise<string> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: 'lightbox', Key: key }));
    return (await out.Body?.transformToString()) ?? '';
  }
  async exists(key: string): Promise<boolean> {
    return this.client.send(new HeadObjectCommand({ Bucket: 'lightbox', Key: key })).then(
      () => true,
      () => false,
    );
  }
  async delete(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: 'lightbox', Key: key }));
  }
  async list(prefix: string): Promise<string[]> {
    const out = await this.client.send(new ListObjectsV2Command({ Bucket: 'lightbox', Prefix: prefix }));
    return (out.Contents ?? []).map((o) => o.Key as string);
  }
  async copy(from: string, to: string) {
    await this.client.send(
      new CopyObjectCommand({ Bucket: 'lightbox', Key: to, CopySource: `lightbox/${from}` }),
    );
  }
}

const MANIFEST = 'galleries/st_1/gallery.json';
const ORIGINAL = 'originals/abc.jpg';

/**
 * Issue 12, finding 2: the embedded S3 (s3rver) took anonymous PUT and DELETE, so anyone who could
 * reach its port could forge a published gallery. Now a SigV4 gate in front of it refuses unsigned
 * and wrongly signed requests; only reads of published prefixes stay public.
 */
describe('embedded S3: no anonymous or forged writes', () => {
  let dir: string;
  let s3: EmbeddedS3;
  let store: Bucket;
  const url = (key: string) => `${s3.endpoint}/lightbox/${key}`;
  const signer = (secretAccessKey: string, accessKeyId = s3.accessKeyId) =>
    new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region: 'us-east-1',
      service: 's3',
      sha256: Sha256,
      uriEscapePath: false,
    });
  /** A PUT signed the way the SDK signs it; `tamper` changes it after signing. */
  async function signedPut(
    key: string,
    body: string,
    { secret = s3.secretAccessKey, signingDate = new Date() } = {},
  ) {
    const { host } = new URL(s3.endpoint);
    const signed = await signer(secret).sign(
      {
        method: 'PUT',
        protocol: 'http:',
        hostname: host.split(':')[0] as string,
        port: Number(host.split(':')[1]),
        path: `/lightbox/${key}`,
        query: {},
        headers: {
          host,
          'content-type': 'application/json',
          'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
        },
        body,
      },
      { signingDate },
    );
    return signed.headers as Record<string, string>;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-s3-auth-'));
    s3 = await startS3rver({
      dataDir: dir,
      bucket: 'lightbox',
      credentials: { accessKeyId: 'LBTEST', secretAccessKey: randomBytes(30).toString('base64url') },
      publicReadPrefixes: ['galleries/', 'renditions/'],
    });
    store = new Bucket(s3.endpoint, s3);
    await store.put(MANIFEST, '{"headline":"REAL"}');
    await store.put(ORIGINAL, Buffer.from('original bytes'));
  });
  afterAll(async () => {
    store?.client.destroy();
    await s3?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an anonymous PUT (curl) and keeps the published object', async () => {
    const status = await curl(['-X', 'PUT', '--data-binary', '{"headline":"FORGED"}', url(MANIFEST)]);
    expect(status).toBe(403);
    expect(await store.get(MANIFEST)).toBe('{"headline":"REAL"}');
  });

  it('refuses an anonymous DELETE, multi-object delete, POST upload and bucket delete', async () => {
    expect(await curl(['-X', 'DELETE', url(MANIFEST)])).toBe(403);
    expect(
      await curl([
        '-X',
        'POST',
        '--data-binary',
        `<Delete><Object><Key>${MANIFEST}</Key></Object></Delete>`,
        `${s3.endpoint}/lightbox?delete`,
      ]),
    ).toBe(403);
    expect(
      await curl([
        '-X',
        'POST',
        '-F',
        'key=galleries/x',
        '-F',
        'file=@/etc/hostname',
        `${s3.endpoint}/lightbox`,
      ]),
    ).toBe(403);
    expect(await curl(['-X', 'DELETE', `${s3.endpoint}/lightbox`])).toBe(403);
    expect(await store.exists(MANIFEST)).toBe(true);
  });

  it('refuses requests signed with a wrong secret or an unknown key id (SDK and by hand)', async () => {
    for (const wrong of [
      { accessKeyId: s3.accessKeyId, secretAccessKey: 'not-the-secret' },
      { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    ]) {
      const forger = new Bucket(s3.endpoint, wrong);
      await expect(forger.put(MANIFEST, '{"headline":"FORGED"}')).rejects.toThrow(/signature|access key/i);
      await expect(forger.delete(MANIFEST)).rejects.toThrow();
      forger.client.destroy();
    }
    const forged = await send(url(MANIFEST), {
      method: 'PUT',
      headers: await signedPut(MANIFEST, '{"headline":"FORGED"}', { secret: 'guess' }),
      body: '{"headline":"FORGED"}',
    });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(await store.get(MANIFEST)).toBe('{"headline":"REAL"}');
  });

  it('refuses a signed request that was changed after signing (other key, other body, added header)', async () => {
    const body = '{"headline":"SIGNED"}';
    const headers = await signedPut('galleries/st_2/gallery.json', body);
    expect((await send(url(MANIFEST), { method: 'PUT', headers, body })).status).toBe(403);
    const swapped = await send(url('galleries/st_2/gallery.json'), {
      method: 'PUT',
      headers,
      body: '{"headline":"FORGED"}',
    });
    expect(swapped.status).toBe(400);
    expect(swapped.body).toContain('XAmzContentSHA256Mismatch');
    expect(
      (
        await send(url('galleries/st_2/gallery.json'), {
          method: 'PUT',
          headers: { ...headers, 'x-amz-copy-source': `/lightbox/${ORIGINAL}` },
          body,
        })
      ).status,
    ).toBe(403);
    expect(await store.exists('galleries/st_2/gallery.json')).toBe(false);
    // The untouched request is accepted.
    expect((await send(url('galleries/st_2/gallery.json'), { method: 'PUT', headers, body })).status).toBe(
      200,
    );
  });

  it('refuses a correctly signed request from 20 minutes ago (replay)', async () => {
    const body = '{"headline":"OLD"}';
    const headers = await signedPut(MANIFEST, body, { signingDate: new Date(Date.now() - 20 * 60_000) });
    const res = await send(url(MANIFEST), { method: 'PUT', headers, body });
    expect(res.status).toBe(403);
    expect(res.body).toContain('RequestTimeTooSkewed');
  });

  it('refuses presigned URLs and Signature Version 2', async () => {
    const v2 = await send(url(MANIFEST), {
      method: 'PUT',
      headers: { authorization: `AWS ${s3.accessKeyId}:c2lnbmF0dXJl`, date: new Date().toUTCString() },
      body: 'x',
    });
    expect(v2.status).toBe(403);
    const presigned = await send(
      `${url(MANIFEST)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${s3.accessKeyId}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00`,
      { method: 'PUT', body: 'x' },
    );
    expect(presigned.status).toBe(403);
  });

  it('serves published prefixes to anyone, and nothing else', async () => {
    const res = await fetch(url(MANIFEST));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"headline":"REAL"}');
    expect((await fetch(url(MANIFEST), { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(url('galleries/none.json'))).status).toBe(404);
    // CORS preflight for downstream pages.
    const preflight = await fetch(url(MANIFEST), {
      method: 'OPTIONS',
      headers: { origin: 'https://site.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    // Unpublished originals, listings and sub-resources need a signature.
    expect((await fetch(url(ORIGINAL))).status).toBe(403);
    expect((await fetch(`${s3.endpoint}/lightbox?list-type=2`)).status).toBe(403);
    expect((await fetch(`${s3.endpoint}/`)).status).toBe(403);
    expect((await fetch(`${url(MANIFEST)}?acl`)).status).toBe(403);
  });

  it('cannot be walked out of a public prefix (dot segments, encoded or not, or a Host header)', async () => {
    for (const path of [
      '/lightbox/galleries/../originals/abc.jpg',
      '/lightbox/galleries/%2e%2e/originals/abc.jpg',
      '/lightbox/galleries/..%2Foriginals%2Fabc.jpg',
      '/lightbox/renditions/./../originals/abc.jpg',
    ]) {
      const res = await send(`${s3.endpoint}${path}`, { method: 'GET' });
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body).not.toContain('original bytes');
    }
    // s3rver reads a bucket name from a non-IP Host header; the gate does not let it.
    const vhost = await send(`${s3.endpoint}/galleries/../${ORIGINAL}`, {
      method: 'GET',
      headers: { host: 'lightbox' },
    });
    expect(vhost.body).not.toContain('original bytes');
    const vhost2 = await send(`${s3.endpoint}/${ORIGINAL}`, { method: 'GET', headers: { host: 'lightbox' } });
    expect(vhost2.status).toBe(403);
  });

  it('serves the SDK with the right key pair: buffers, copy, list, delete (the storage contract suite does the rest)', async () => {
    await store.put('renditions/ph_1/thumb.jpg', Buffer.from('thumb'));
    await store.copy('renditions/ph_1/thumb.jpg', 'archive/thumb.jpg');
    expect(await store.get('archive/thumb.jpg')).toBe('thumb');
    expect(await store.list('renditions/')).toEqual(['renditions/ph_1/thumb.jpg']);
    await store.delete('archive/thumb.jpg');
    expect(await store.exists('archive/thumb.jpg')).toBe(false);
    expect((await fetch(url('renditions/ph_1/thumb.jpg'))).status).toBe(200);
  });

  it('keeps the credentials it was given, so data survives a restart', async () => {
    const again = await startS3rver({
      dataDir: dir,
      bucket: 'lightbox',
      credentials: { accessKeyId: 'lightbox-test', secretAccessKey: 'a-secret-for-this-test-only-0123' },
    });
    try {
      expect(again.accessKeyId).toBe('lightbox-test');
      const other = new Bucket(again.endpoint, again);
      expect(await other.get(MANIFEST)).toBe('{"headline":"REAL"}');
      other.client.destroy();
      // No public prefixes were given to this one: even galleries need a signature.
      expect((await fetch(`${again.endpoint}/lightbox/${MANIFEST}`)).status).toBe(403);
    } finally {
      await again.stop();
    }
  });
});
