import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addLogContext, createLogger, withLogContext } from '../src/index.js';

describe('createLogger', () => {
  it('never writes keys, tokens or secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ name: 't', destination: sink });
    log.info({ req: { headers: { authorization: 'Bearer feed_SECRET1' } } }, 'request');
    log.info(
      { config: { s3: { secretAccessKey: 'SECRET2' }, feedKeys: [{ feed: 'ap', key: 'SECRET3' }] } },
      'config',
    );
    log.info({ token: 'SECRET4', key: 'SECRET5' }, 'x');
    const all = lines.join('');
    for (const s of ['SECRET1', 'SECRET2', 'SECRET3', 'SECRET4', 'SECRET5']) expect(all).not.toContain(s);
    expect(all).toContain('[redacted]');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ name: 't', msg: 'request' });
    log.info({ secret: 'SECRET6', webhooks: { secret: 'SECRET7' }, adminTokens: ['SECRET8'] }, 'y');
    for (const s of ['SECRET6', 'SECRET7', 'SECRET8']) expect(lines.join('')).not.toContain(s);
  });

  it('puts the job context on every line written inside it, across awaits', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ name: 't', destination: sink });
    await withLogContext({ jobId: 'j1', stage: 'render', photoId: 'ph_1' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      addLogContext({ feed: 'ap' });
      log.info('inside');
    });
    log.info('outside');
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      jobId: 'j1',
      stage: 'render',
      photoId: 'ph_1',
      feed: 'ap',
    });
    expect(JSON.parse(lines[1] as string).jobId).toBeUndefined();
  });
});
