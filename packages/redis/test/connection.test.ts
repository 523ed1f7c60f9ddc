import { describe, expect, it } from 'vitest';
import { describeRedisEndpoint, parseSentinelList, redisOptions } from '../src/index.js';

describe('connection settings', () => {
  it('parses a Sentinel list, IPv6 in brackets, and refuses what is not host:port', () => {
    expect(parseSentinelList('s1:26379, s2:26380,[::1]:26381')).toEqual([
      { host: 's1', port: 26379 },
      { host: 's2', port: 26380 },
      { host: '::1', port: 26381 },
    ]);
    expect(() => parseSentinelList('s1')).toThrow(/not host:port/);
    expect(() => parseSentinelList('s1:0')).toThrow(/not host:port/);
    expect(() => parseSentinelList(' , ')).toThrow(/no Sentinel/);
  });

  it('workers wait through an outage, everything else fails after a few tries', () => {
    expect(redisOptions('redis://r:6379', { blocking: true }).maxRetriesPerRequest).toBeNull();
    expect(redisOptions('redis://r:6379').maxRetriesPerRequest).toBe(3);
  });

  it('a READONLY reply (a demoted primary) reconnects and resends; other errors do not', () => {
    const { reconnectOnError } = redisOptions('redis://r:6379');
    expect(reconnectOnError?.(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnError?.(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it('a Sentinel group: always the primary, moved on +switch-master, credentials passed', () => {
    const options = redisOptions(
      {
        sentinels: [{ host: 's1', port: 26379 }],
        name: 'lightbox',
        password: 'p',
        sentinelPassword: 'sp',
        db: 2,
      },
      { blocking: true, connectionName: 'w' },
    );
    expect(options).toMatchObject({
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'lightbox',
      role: 'master',
      password: 'p',
      sentinelPassword: 'sp',
      db: 2,
      failoverDetector: true,
      maxRetriesPerRequest: null,
      connectionName: 'w',
    });
    expect(options.retryStrategy?.(100)).toBeLessThanOrEqual(5000);
  });

  it('describes an endpoint without its password', () => {
    expect(describeRedisEndpoint('redis://:secret@r:6379/0')).toBe('redis://:***@r:6379/0');
    expect(describeRedisEndpoint({ sentinels: [{ host: 's1', port: 1 }], name: 'g', password: 'x' })).toBe(
      'sentinel g via s1:1',
    );
  });
});
