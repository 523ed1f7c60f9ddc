import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

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
  });
});
