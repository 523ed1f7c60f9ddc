import { spawn } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoPath, eventually, fixturePath, REPO_ROOT, tempDir } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type PhotoView } from '../support/api-types.js';
import { type StackUnderTest, startStackProcess } from '../support/stack-process.js';

/** `lightbox ingest` as a user runs it, against the real stack. */
describe('lightbox ingest on the real stack', () => {
  let stack: StackUnderTest;

  beforeAll(async () => {
    stack = await startStackProcess();
  });
  afterAll(async () => {
    await stack?.destroy();
  });

  const lightbox = (args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'services/cli/bin/lightbox.js'), ...args], {
        env: { ...process.env, LIGHTBOX_URL: stack.apiUrl, LIGHTBOX_FEED_KEY: stack.feedKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => {
        output += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        output += c.toString();
      });
      child.once('exit', (code) => resolve({ code, output }));
    });

  it('pairs a NewsML-G2 sidecar with its picture by basename, sniffs pictures by their bytes, skips the rest with a line', async () => {
    const dir = await tempDir('lightbox-cli-ingest-');
    const sidecar = (await readFile(fixturePath('real/newsml/LISTING_3_Photo_in_NewsML-G2.xml')))
      .toString()
      .replace('GYI0062134533', 'OLYCLI05')
      .replace(/<headline>[\s\S]*?<\/headline>/, '<headline>CLI sidecar headline</headline>');
    await copyFile(demoPath('wire/OLY_CLOSING_05.jpg'), join(dir.path, 'OLY_CLOSING_05.jpg'));
    await writeFile(join(dir.path, 'OLY_CLOSING_05.XML'), sidecar); // basename match ignores case
    await copyFile(demoPath('wire/OLY_CLOSING_06.jpg'), join(dir.path, 'AP_NO_EXTENSION'));
    await writeFile(join(dir.path, 'notes.txt'), 'call the desk');
    await writeFile(join(dir.path, 'lonely.xml'), sidecar);

    const { code, output } = await lightbox(['ingest', dir.path]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/skipped\s+\S*notes\.txt: not an image/);
    expect(output).toMatch(/skipped\s+\S*lonely\.xml: a NewsML-G2 sidecar without a picture/);
    expect(output).toMatch(/accepted\s+ph_\w+\s+\S*OLY_CLOSING_05\.jpg \+ OLY_CLOSING_05\.XML/);
    expect(output).toMatch(/accepted\s+ph_\w+\s+\S*AP_NO_EXTENSION/);
    expect(output).toMatch(/4 files: 2 accepted, 0 duplicates, 0 rejected, 0 failed, 2 skipped/);

    const paired = output.match(/accepted\s+(ph_\w+)\s+\S*OLY_CLOSING_05\.jpg/)?.[1] as string;
    const detail = await eventually(async () => {
      const res = await fetch(`${stack.apiUrl}/v1/photos/${paired}`, {
        headers: { authorization: `Bearer ${stack.editorToken}` },
      });
      const body = await json<PhotoView>(res);
      return body.metadata?.headline ? body : undefined;
    }, 60_000);
    expect(detail.metadata.headline).toBe('CLI sidecar headline');
    // An import is bulk work: its jobs wait behind live wire photos at every stage.
    expect((detail as PhotoView & { priority: string }).priority).toBe('bulk');
    await dir.remove();
  });
});
