/**
 * `npm run fuzz:ingest [-- --mutants N]`: hostile and broken input against the ingest path.
 * See docs/reliability.md.
 *
 * 1. Random mutations of real JPEGs (flips, truncations, splices, bad segment lengths, absurd
 *    dimensions), plus crafted inputs: a 100,000 × 100,000 PNG header bomb, deeply nested and
 *    oversized XMP, a billion-laughs NewsML-G2 — each through sniff, probe, metadata and render,
 *    in child processes that are watched for crashes and hangs.
 * 2. Against the real stack: 1,000 concurrent uploads, slowloris bodies, and the billion laughs
 *    as an upload's sidecar.
 * Writes bench/results/fuzz.json; exits 1 on any crash, hang, unclassified error, or a peak RSS
 * over the 400 MB a render worker may use.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateSync } from 'node:zlib';
import { stageIsIdle } from '@lightbox/contracts';
import { TSX_LOADER_URL } from '@lightbox/embedded';
import { NewsmlError, parseNewsml } from '@lightbox/newsml';
import { REPO_ROOT } from '@lightbox/test-infra';
import sharp from 'sharp';
import { peakRssMb, startLocalStack } from '../support/local-stack.js';

const { values } = parseArgs({
  options: { mutants: { type: 'string', default: '2000' }, uploads: { type: 'string', default: '1000' } },
});
const MUTANTS = Math.max(10, Number(values.mutants));
const UPLOADS = Math.max(10, Number(values.uploads));
const HANG_MS = 30_000;
const RSS_LIMIT_MB = 400;
const say = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------- deterministic randomness
let state = 0x2545f491;
const rand = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 0x100000000;
};
const int = (n: number) => Math.floor(rand() * n);

// ---------------------------------------------------------------- mutators
function mutate(seed: Buffer): { bytes: Buffer; how: string } {
  const b = Buffer.from(seed);
  switch (int(7)) {
    case 0: {
      const k = 1 + int(32);
      for (let i = 0; i < k; i++) b[int(b.length)] = int(256);
      return { bytes: b, how: `flip ${k} bytes` };
    }
    case 1: {
      const at = int(b.length);
      return { bytes: b.subarray(0, at), how: `truncate at ${at}` };
    }
    case 2: {
      const from = int(b.length);
      const len = int(Math.min(65_536, b.length - from));
      const at = int(b.length);
      return {
        bytes: Buffer.concat([b.subarray(0, at), b.subarray(from, from + len), b.subarray(at)]),
        how: 'splice',
      };
    }
    case 3: {
      const from = int(b.length);
      b.fill(0, from, Math.min(b.length, from + 1 + int(4096)));
      return { bytes: b, how: 'zero a range' };
    }
    case 4: {
      // A segment length pointing anywhere.
      for (let i = 2; i < Math.min(b.length - 4, 200_000); i++) {
        if (b[i] === 0xff && (b[i + 1] as number) >= 0xe0 && rand() < 0.3) {
          b.writeUInt16BE(int(65_536), i + 2);
          return { bytes: b, how: 'bad segment length' };
        }
      }
      return { bytes: b, how: 'no segment found' };
    }
    case 5: {
      // Absurd dimensions in the frame header.
      for (let i = 2; i < b.length - 9; i++) {
        if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) {
          b.writeUInt16BE(int(65_536), i + 5);
          b.writeUInt16BE(int(65_536), i + 7);
          return { bytes: b, how: 'frame dimensions' };
        }
      }
      return { bytes: b, how: 'no frame header' };
    }
    default: {
      const junk = randomBytes(1 + int(2048));
      const at = 2 + int(Math.max(1, b.length - 2));
      return {
        bytes: Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xe1]), junk, b.subarray(at)]),
        how: 'junk segment',
      };
    }
  }
}

// ---------------------------------------------------------------- crafted inputs
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A valid PNG header claiming 100,000 × 100,000 pixels, with a tiny compressed body. */
function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const idat = deflateSync(Buffer.alloc(1_000_000));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
function app1Xmp(xml: string): Buffer {
  const payload = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(xml)]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(Math.min(65_535, payload.length + 2), 2);
  return Buffer.concat([head, payload.subarray(0, 65_533)]);
}
function withSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol9 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x" version="1"><contentMeta><headline>&lol9;</headline></contentMeta></newsItem>`;

async function crafted(seed: Buffer): Promise<{ name: string; bytes: Buffer }[]> {
  const nested = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${'<rdf:Description><rdf:Bag><rdf:li>'.repeat(2000)}deep${'</rdf:li></rdf:Bag></rdf:Description>'.repeat(2000)}</rdf:RDF></x:xmpmeta>`;
  const wide = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>${'<rdf:li>keyword</rdf:li>'.repeat(3000)}</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>`;
  const huge = Array.from({ length: 80 }, () => app1Xmp(wide)); // ≈ 5 MB of metadata segments
  return [
    { name: 'png-header-bomb-100000x100000', bytes: pngBomb() },
    { name: 'xmp-nested-2000-deep', bytes: withSegments(seed, [app1Xmp(nested)]) },
    { name: 'xmp-3000-keywords', bytes: withSegments(seed, [app1Xmp(wide)]) },
    { name: 'xmp-5mb-of-segments', bytes: withSegments(seed, huge) },
    { name: 'empty', bytes: Buffer.alloc(0) },
    { name: 'jpeg-soi-only', bytes: Buffer.from([0xff, 0xd8, 0xff]) },
    { name: 'text-as-image', bytes: Buffer.from('<html>not an image</html>') },
    {
      name: 'gif-tiny',
      bytes: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
        .gif()
        .toBuffer(),
    },
  ];
}

// ---------------------------------------------------------------- child pool
interface Slot {
  child: ChildProcess;
  busy?: { id: number; resolve: (r: Result) => void; timer: NodeJS.Timeout };
}
interface Result {
  outcome: 'processed' | 'rejected' | 'unexpected' | 'crash' | 'hang';
  reason?: string;
  rssMb: number;
}
const CHILD = fileURLToPath(new URL('./pipeline-child.ts', import.meta.url));
let peakChildRss = 0;

function spawnSlot(): Promise<Slot> {
  return new Promise((resolve) => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', TSX_LOADER_URL],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      // As `lightbox start` runs workers: capped glibc arenas (see docs/imaging.md).
      env: { ...process.env, MALLOC_ARENA_MAX: '2' },
    });
    const slot: Slot = { child };
    child.on(
      'message',
      (m: { ready?: boolean; id?: number; outcome?: Result['outcome']; reason?: string; rssMb?: number }) => {
        if (m.ready) return resolve(slot);
        if (slot.busy && m.id === slot.busy.id) {
          const { resolve: done, timer } = slot.busy;
          clearTimeout(timer);
          slot.busy = undefined;
          peakChildRss = Math.max(peakChildRss, m.rssMb ?? 0);
          done({ outcome: m.outcome as Result['outcome'], reason: m.reason, rssMb: m.rssMb ?? 0 });
        }
      },
    );
    child.on('exit', () => {
      if (slot.busy) {
        const { resolve: done, timer } = slot.busy;
        clearTimeout(timer);
        slot.busy = undefined;
        done({ outcome: 'crash', reason: `child exited (${child.signalCode ?? child.exitCode})`, rssMb: 0 });
      }
    });
  });
}

async function runAll(inputs: { name: string; bytes: Buffer }[], parallel: number) {
  const slots = await Promise.all(Array.from({ length: parallel }, spawnSlot));
  const results: (Result & { name: string })[] = [];
  let next = 0;
  let id = 0;
  await Promise.all(
    slots.map(async (_, s) => {
      while (next < inputs.length) {
        const input = inputs[next++] as { name: string; bytes: Buffer };
        let slot = slots[s] as Slot;
        if (slot.child.exitCode !== null || slot.child.signalCode !== null) {
          slot = await spawnSlot();
          slots[s] = slot;
        }
        const result = await new Promise<Result>((resolve) => {
          const current = ++id;
          const timer = setTimeout(() => {
            slot.busy = undefined;
            slot.child.kill('SIGKILL');
            resolve({ outcome: 'hang', reason: `no answer within ${HANG_MS / 1000} s`, rssMb: 0 });
          }, HANG_MS);
          slot.busy = { id: current, resolve, timer };
          slot.child.send({ id: current, bytes: input.bytes.toString('base64') });
        });
        results.push({ ...result, name: input.name });
        if (results.length % 250 === 0) say(`  ${results.length}/${inputs.length}`);
      }
    }),
  );
  for (const s of slots) s.child.kill('SIGKILL');
  return results;
}

// ---------------------------------------------------------------- against the stack
async function againstStack() {
  const stack = await startLocalStack({ workers: 1, env: { LIGHTBOX_REQUEST_TIMEOUT_MS: '5000' } });
  try {
    // 1,000 concurrent uploads of distinct small photos.
    // Distinct pictures (their own noise), so none is an exact duplicate of another.
    const images = await Promise.all(
      Array.from({ length: UPLOADS }, (_, i) => {
        const raw = Buffer.alloc(48 * 32 * 3);
        let seed = i * 2654435761 + 1;
        for (let k = 0; k < raw.length; k++) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          raw[k] = seed >> 16;
        }
        return sharp(raw, { raw: { width: 48, height: 32, channels: 3 } })
          .jpeg({ quality: 90 })
          .toBuffer();
      }),
    );
    const started = Date.now();
    const statuses = await Promise.all(
      images.map(async (bytes, i) => {
        try {
          const res = await stack.pushPhoto(bytes, `c${i}.jpg`, 120_000);
          await res.arrayBuffer();
          return res.status;
        } catch {
          return 0;
        }
      }),
    );
    const acceptedMs = Date.now() - started;
    const byStatus: Record<string, number> = {};
    for (const s of statuses) byStatus[s] = (byStatus[s] ?? 0) + 1;
    let drained = false;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const queues = (await (await stack.call('/v1/queues')).json()) as Parameters<typeof stageIsIdle>[0][];
      if (queues.every(stageIsIdle)) {
        drained = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    const rejected = ((await (await stack.call('/v1/dead-letters?limit=1')).json()) as { total: number })
      .total;

    // Slowloris: bodies trickled a byte a second must not hold the server.
    const sockets = Array.from({ length: 50 }, () => {
      const url = new URL(stack.apiUrl);
      const socket = connect(Number(url.port), url.hostname);
      let closed = false;
      socket.on('close', () => {
        closed = true;
      });
      socket.on('error', () => undefined);
      socket.write(
        `POST /v1/photos HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${stack.feedKey}\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n`,
      );
      const drip = setInterval(() => !closed && socket.write(Buffer.from([0xff])), 1000);
      return { socket, drip, isClosed: () => closed };
    });
    await new Promise((r) => setTimeout(r, 2000));
    const healthStart = Date.now();
    const health = await fetch(`${stack.apiUrl}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.status,
      () => 0,
    );
    const healthMs = Date.now() - healthStart;
    await new Promise((r) => setTimeout(r, 12_000));
    const closedBySever = sockets.filter((s) => s.isClosed()).length;
    for (const s of sockets) {
      clearInterval(s.drip);
      s.socket.destroy();
    }

    // Billion laughs as an upload's NewsML-G2 sidecar.
    const form = new FormData();
    const fresh = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#123456' } })
      .jpeg()
      .toBuffer();
    form.append('file', new Blob([new Uint8Array(fresh)], { type: 'image/jpeg' }), 'bl.jpg');
    form.append('sidecar', BILLION_LAUGHS);
    const laughs = await fetch(`${stack.apiUrl}/v1/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.feedKey}` },
      body: form,
    });
    const laughsBody = (await laughs.json()) as { error?: { code: string } };
    const apiRss = await peakRssMb(stack.api.child?.pid);
    const workerRss = await peakRssMb(stack.workers[0]?.child?.pid);
    return {
      concurrent_uploads: {
        sent: UPLOADS,
        by_status: byStatus,
        all_answered_ms: acceptedMs,
        drained,
        dead_letters: rejected,
      },
      slowloris: {
        connections: 50,
        health_status_during: health,
        health_ms: healthMs,
        closed_by_server: closedBySever,
      },
      billion_laughs_sidecar: { status: laughs.status, code: laughsBody.error?.code },
      api_peak_rss_mb: apiRss,
      worker_peak_rss_mb: workerRss,
    };
  } finally {
    await stack.stop();
  }
}

async function main() {
  const seedFiles = [
    ...(await readdir(join(REPO_ROOT, 'demo', 'wire'))).map((f) => join(REPO_ROOT, 'demo', 'wire', f)),
    ...['wire', 'camera', 'iptc'].flatMap((d) => [join(REPO_ROOT, 'tests', 'fixtures', 'real', d)]),
  ];
  const seeds: Buffer[] = [];
  for (const f of seedFiles) {
    if (f.endsWith('.jpg')) seeds.push(await readFile(f));
    else for (const g of await readdir(f)) if (g.endsWith('.jpg')) seeds.push(await readFile(join(f, g)));
  }
  const inputs = [
    ...(await crafted(seeds[0] as Buffer)),
    ...Array.from({ length: MUTANTS }, (_, i) => {
      const { bytes, how } = mutate(seeds[i % seeds.length] as Buffer);
      return { name: `mutant-${i} (${how})`, bytes };
    }),
  ];
  say(
    `fuzz: ${inputs.length} inputs (${MUTANTS} mutants of ${seeds.length} real JPEGs, ${inputs.length - MUTANTS} crafted)`,
  );

  let newsml: string;
  try {
    parseNewsml(BILLION_LAUGHS);
    newsml = 'parsed (BAD)';
  } catch (err) {
    newsml = err instanceof NewsmlError ? err.code : `unexpected ${(err as Error).message}`;
  }

  const results = await runAll(inputs, 2);
  const count = (o: Result['outcome']) => results.filter((r) => r.outcome === o).length;
  const reasons: Record<string, number> = {};
  for (const r of results)
    if (r.outcome === 'rejected') {
      const code = (r.reason ?? '').split(':')[0] as string;
      reasons[code] = (reasons[code] ?? 0) + 1;
    }
  const craftedOutcomes = Object.fromEntries(
    results
      .filter((r) => !r.name.startsWith('mutant'))
      .map((r) => [r.name, `${r.outcome}${r.reason ? `: ${r.reason}` : ''}`]),
  );
  say(
    `in-process: ${count('processed')} processed, ${count('rejected')} rejected, ${count('unexpected')} unexpected, ${count('crash')} crashes, ${count('hang')} hangs; peak RSS ${peakChildRss} MB`,
  );

  say('against the stack: 1,000 concurrent uploads, slowloris, billion laughs sidecar …');
  const stack = await againstStack();

  const result = {
    inputs: inputs.length + UPLOADS + 50 + 2,
    mutants: MUTANTS,
    processed: count('processed'),
    rejected: count('rejected'),
    unexpected: count('unexpected'),
    crashes: count('crash'),
    hangs: count('hang'),
    peak_rss_mb: Math.max(peakChildRss, stack.worker_peak_rss_mb),
    pipeline_child_peak_rss_mb: peakChildRss,
    rejection_reasons: reasons,
    crafted: craftedOutcomes,
    billion_laughs_newsml: newsml,
    unexpected_examples: results
      .filter((r) => r.outcome !== 'processed' && r.outcome !== 'rejected')
      .slice(0, 20),
    ...stack,
    rss_limit_mb: RSS_LIMIT_MB,
  };
  const uploadsOk =
    (stack.concurrent_uploads.by_status['202'] ?? 0) + (stack.concurrent_uploads.by_status['200'] ?? 0) ===
    UPLOADS;
  const met =
    result.crashes === 0 &&
    result.hangs === 0 &&
    result.unexpected === 0 &&
    result.peak_rss_mb <= RSS_LIMIT_MB &&
    newsml === 'xml_dtd_forbidden' &&
    uploadsOk &&
    stack.concurrent_uploads.drained &&
    stack.slowloris.health_status_during === 200 &&
    stack.slowloris.closed_by_server === 50 &&
    stack.billion_laughs_sidecar.status === 422;
  await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(
    join(REPO_ROOT, 'bench', 'results', 'fuzz.json'),
    `${JSON.stringify({ ...result, met }, null, 2)}\n`,
  );
  say(JSON.stringify({ crafted: craftedOutcomes, ...stack }, null, 2));
  say(met ? 'MET: no crash, no hang, every input processed or rejected with a reason' : 'MISSED');
  process.exit(met ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
