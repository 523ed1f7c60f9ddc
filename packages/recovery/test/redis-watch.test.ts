import { findFreePort, startRedisServer } from '@lightbox/embedded';
import { tempDir } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisWatch } from '../src/index.js';

describe('RedisWatch', () => {
  it('tells a Redis that lost its data from one that restarted with it', async () => {
    const dir = await tempDir('lightbox-watch-');
    const port = await findFreePort();
    let server = await startRedisServer({ dataDir: dir.path, port });
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    redis.on('error', () => {});
    const events: string[] = [];
    await redis.set('marker', '2');
    const watch = new RedisWatch(redis, 'marker', {
      onLoss: async () => {
        events.push('loss');
        await redis.set('marker', '2'); // what the worker does: migrateState writes it again
      },
      onNewPrimary: async () => void events.push('new primary'),
    });
    await watch.start();
    await watch.check();
    expect(events).toEqual([]);

    await redis.flushall();
    await watch.check();
    expect(events).toEqual(['loss']);

    await server.stop(); // restarted with its data (AOF): another server, nothing lost
    server = await startRedisServer({ dataDir: dir.path, port });
    await new Promise((r) => setTimeout(r, 300));
    await watch.check();
    expect(events).toEqual(['loss', 'new primary']);

    watch.stop();
    redis.disconnect();
    await server.stop();
    await dir.remove();
  });
});
