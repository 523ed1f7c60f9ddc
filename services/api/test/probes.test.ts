import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

/** Kubernetes and compose probe these; /metrics is not a probe (it may need a token). */
describe('probe endpoints with a metrics token set', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ LIGHTBOX_METRICS_TOKEN: 'metrics-token-1234' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('/metrics needs the token, /livez and /healthz do not', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const live = await api.app.inject({ method: 'GET', url: '/livez' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const health = await api.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', redis: true, s3: true });
  });

  it('/healthz says which dependency is down with 503; /livez stays 200 (no restart for a Redis blip)', async () => {
    api.redis.disconnect();
    const health = await api.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'unavailable', redis: false, s3: true });
    expect((await api.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
  });
});
