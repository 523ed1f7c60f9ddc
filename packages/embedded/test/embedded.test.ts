import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { findFreePort, startRedisServer, startS3rver } from '../src/index.js';

describe('embedded servers', () => {
  it('runs redis-server with AOF and noeviction, and keeps data across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-embedded-'));
    const port = await findFreePort();
    const first = await startRedisServer({ dataDir: dir, port });
    const redis = new Redis(first.url);
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    await redis.set('k', 'v');
    redis.disconnect();
    await first.stop();
    expect(await readdir(dir)).toContain('appendonlydir');
    const second = await startRedisServer({ dataDir: dir, port });
    const again = new Redis(second.url);
    expect(await again.get('k')).toBe('v');
    again.disconnect();
    await second.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs s3rver in its own process, refusing anonymous reads outside public prefixes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-embedded-'));
    const s3 = await startS3rver({
      dataDir: dir,
      bucket: 'lightbox',
      credentials: { accessKeyId: 'LBTEST', secretAccessKey: 'test-secret-0123456789abcdef' },
    });
    expect(s3.process.pid).not.toBe(process.pid);
    const res = await fetch(`${s3.endpoint}/lightbox/missing-key`);
    expect(res.status).toBe(403);
    await s3.stop();
    expect(s3.process.exitCode !== null || s3.process.signalCode !== null).toBe(true);
    await rm(dir, { recursive: true, force: true });
  });
});
