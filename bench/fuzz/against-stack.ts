/** Hostile load against the real stack: concurrent uploads, slowloris bodies, a billion-laughs sidecar. */
import { connect } from 'node:net';
import { stageIsIdle } from '@lightbox/contracts';
import sharp from 'sharp';
import { peakRssMb, startLocalStack } from '../support/local-stack.js';
import { BILLION_LAUGHS } from './crafted-inputs.js';

export async function againstStack(uploads: number) {
  const stack = await startLocalStack({ workers: 1, env: { LIGHTBOX_REQUEST_TIMEOUT_MS: '5000' } });
  try {
    // 1,000 concurrent uploads of distinct small photos.
    // Distinct pictures (their own noise), so none is an exact duplicate of another.
    const images = await Promise.all(
      Array.from({ length: uploads }, (_, i) => {
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
        sent: uploads,
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
