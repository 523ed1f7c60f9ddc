import { describe, expect, it } from 'vitest';
import { addressProblem, ConfigError, loadConfig, specialRange } from '../src/index.js';

const hooks = (url: string) => JSON.stringify([{ url, secret: 'a-long-enough-secret' }]);

/** Issue 12, finding 6: with no allow-list, metadata, loopback and private targets were accepted. */
describe('webhook targets', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:6379/',
    'http://0x7f000001/hook',
    'http://2130706433/hook',
    'http://0177.0.0.1/hook',
    'http://127.1/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:7f00:1]/hook',
    'http://[::ffff:a9fe:a9fe]/hook',
    'http://0.0.0.0:8080/hook',
    'http://10.1.2.3/hook',
    'http://172.16.0.1/hook',
    'http://192.168.1.10/hook',
    'http://100.100.100.200/hook',
    'http://[fd00:ec2::254]/hook',
    'http://[fe80::1]/hook',
    'http://localhost:8080/hook',
    'http://metadata.localhost/hook',
    'http://224.0.0.1/hook',
  ])('refuses %s unless explicitly allowed', (url) => {
    expect(() => loadConfig({ LIGHTBOX_WEBHOOKS: hooks(url) })).toThrow(ConfigError);
    expect(() => loadConfig({ LIGHTBOX_WEBHOOKS: hooks(url) })).toThrow(/LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS/);
  });

  it('accepts public addresses and names (names are checked again at delivery, after DNS)', () => {
    for (const url of [
      'https://hooks.example.com/lightbox',
      'http://93.184.216.34/hook',
      'https://[2606:4700::1111]/',
    ])
      expect(loadConfig({ LIGHTBOX_WEBHOOKS: hooks(url) }).webhooks.subscribers).toHaveLength(1);
  });

  it('takes internal ranges from LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS, and only those', () => {
    const env = { LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16, 127.0.0.1/32' };
    expect(
      loadConfig({ ...env, LIGHTBOX_WEBHOOKS: hooks('http://10.20.3.4/hook') }).webhooks.allowedNetworks,
    ).toEqual(['10.20.0.0/16', '127.0.0.1/32']);
    expect(
      loadConfig({ ...env, LIGHTBOX_WEBHOOKS: hooks('http://127.0.0.1:9000/hook') }).webhooks.subscribers,
    ).toHaveLength(1);
    expect(() => loadConfig({ ...env, LIGHTBOX_WEBHOOKS: hooks('http://10.21.0.1/hook') })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ ...env, LIGHTBOX_WEBHOOKS: hooks('http://169.254.169.254/') })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(
      /LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS/,
    );
    expect(() => loadConfig({ LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS: 'intranet' })).toThrow(
      /LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS/,
    );
  });

  it('names the range of an address (pure)', () => {
    expect(specialRange('169.254.169.254')).toBe('cloud metadata');
    expect(specialRange('127.0.0.2')).toBe('loopback');
    expect(specialRange('::ffff:10.0.0.1')).toBe('private');
    expect(specialRange('64:ff9b::7f00:1')).toBe('loopback');
    expect(specialRange('8.8.8.8')).toBeUndefined();
    expect(specialRange('2001:4860:4860::8888')).toBeUndefined();
    expect(addressProblem('192.168.0.1', [])).toMatch(/private/);
    expect(addressProblem('192.168.0.1', ['192.168.0.0/24'])).toBeUndefined();
    expect(addressProblem('::ffff:192.168.0.1', ['192.168.0.0/24'])).toBeUndefined();
    expect(addressProblem('8.8.8.8', [])).toBeUndefined();
  });
});
