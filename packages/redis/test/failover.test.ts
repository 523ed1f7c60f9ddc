import { eventually, startLocalRedis, startLocalRedisGroup, type TestRedisGroup } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis, ReplicaAcks } from '../src/index.js';

/** A real primary, replica and three Sentinels on loopback (redis-server and redis-sentinel). */
describe('Sentinel group', () => {
  let group: TestRedisGroup;
  beforeAll(async () => {
    group = await startLocalRedisGroup({ downAfterMs: 1000 });
  });
  afterAll(async () => group?.stop());

  it('waits for a replica to hold the writes, and says so when it does not answer in time', async () => {
    const endpoint = { sentinels: group.sentinels, name: group.name };
    const state = createRedis(endpoint);
    const shortfalls: unknown[] = [];
    const acks = ReplicaAcks.open(endpoint, {
      replicas: 1,
      timeoutMs: 300,
      markerKey: 'ack',
      onShortfall: (r) => shortfalls.push(r),
    });
    await eventually(async () => /state=online/.test(await state.info('replication')));
    await state.set('photo', 'accepted');
    // Concurrent callers share rounds; each one covers the writes made before it was asked.
    const results = await Promise.all([acks.wait(), acks.wait(), acks.wait()]);
    for (const r of results) expect(r).toEqual({ needed: 1, acked: 1 });
    expect(await createRedis(group.replica.url).get('photo')).toBe('accepted');

    const pid = group.replica.process.pid as number;
    process.kill(pid, 'SIGSTOP'); // the replica stays connected but cannot confirm
    try {
      await state.set('photo', 'again');
      const started = Date.now();
      expect(await acks.wait()).toEqual({ needed: 1, acked: 0 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(shortfalls).toEqual([{ needed: 1, acked: 0 }]);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    state.disconnect();
    acks.close();
  });

  it('moves to the promoted replica by itself when the primary is SIGKILLed', async () => {
    const endpoint = { sentinels: group.sentinels, name: group.name };
    const client = createRedis(endpoint, { connectionName: 'api' });
    const worker = createRedis(endpoint, { blocking: true, connectionName: 'worker' });
    client.on('error', () => {});
    worker.on('error', () => {});
    await client.set('before', '1');
    await eventually(async () => (await createRedis(group.replica.url).get('before')) === '1');
    group.killPrimary();
    const killedAt = Date.now();
    // A blocking connection just waits; its command completes on the new primary.
    await worker.set('during', '1');
    await eventually(async () => (await client.set('after', '1').catch(() => null)) === 'OK', 30_000, 200);
    const recovered = Date.now() - killedAt;
    expect(await client.get('before')).toBe('1');
    expect((await client.info('replication')).includes('role:master')).toBe(true);
    expect((await client.info('server')).match(/tcp_port:(\d+)/)?.[1]).toBe(String(group.replica.port));
    expect(recovered).toBeLessThan(30_000);
    client.disconnect();
    worker.disconnect();
  });
});

describe('ReplicaAcks without replicas', () => {
  it('does not wait when the primary has no replica, or when turned off', async () => {
    const server = await startLocalRedis();
    const acks = new ReplicaAcks(createRedis(server.url), { replicas: 1, timeoutMs: 5000, markerKey: 'm' });
    expect(await acks.wait()).toEqual({ needed: 0, acked: 0 });
    const off = new ReplicaAcks(createRedis(server.url), { replicas: 0, timeoutMs: 5000, markerKey: 'm' });
    expect(await off.wait()).toEqual({ needed: 0, acked: 0 });
    await server.stop();
  });
});
