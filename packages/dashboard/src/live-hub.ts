import { randomUUID } from 'node:crypto';
import type { ActivityEvent } from '@lightbox/activity';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardDeps } from './deps.js';
import type { SharedOverview } from './overview.js';
import { StreamLeases } from './stream-leases.js';

/** Who a stream belongs to: a dashboard session, or a bearer-token principal (no session). */
export interface StreamOwner {
  /** Counts streams against the per-owner limit (a session fingerprint, or `principal:<name>`). */
  key: string;
  /** The session id, when the stream was opened with the session cookie: it ends with the session. */
  sessionId?: string;
}

interface Client {
  id: string;
  owner: StreamOwner;
  pending: ActivityEvent[];
  write: (chunk: string) => void;
  end: () => void;
  expiry?: NodeJS.Timeout;
}

const FLUSH_MS = 250;
export const STATS_MS = 2000;
const HEARTBEAT_MS = 15_000;
/** A browser that cannot keep up gets the newest events only. */
const MAX_PENDING = 500;

/**
 * Server-Sent Events for every open dashboard: activity events from Redis pub/sub (one
 * subscription per process), batched every 250 ms so 100 arrivals/s are a few messages a second;
 * and the overview (queue cards, health, chart data) every 2 s, from `SharedOverview` (one load per
 * interval for all streams). Runs only while someone is watching.
 *
 * A stream lives no longer than its session: it ends at logout (`endSession`), when the session
 * expires (a timer), and when the session is gone from Redis (revoked, or logged out through another
 * API process: checked every 2 s). Each owner holds at most `maxPerOwner` streams (`StreamLeases`).
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly leases: StreamLeases;
  private timers: NodeJS.Timeout[] = [];
  private unlisten?: () => void;
  private starting?: Promise<void>;

  constructor(
    private readonly deps: DashboardDeps,
    private readonly overview: SharedOverview,
    private readonly maxPerOwner: number,
  ) {
    this.leases = new StreamLeases(deps.redis, deps.redisPrefix, maxPerOwner, STATS_MS * 3);
  }

  async attach(request: FastifyRequest, reply: FastifyReply, owner: StreamOwner): Promise<void> {
    const id = randomUUID();
    if (!(await this.leases.acquire(owner.key, id))) {
      await reply
        .code(429)
        .type('text/plain; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          `At most ${this.maxPerOwner} live dashboard views per sign-in are open; close a tab (or wait a few seconds) and reload.\n`,
        );
      return;
    }
    const remaining = owner.sessionId
      ? await this.deps.access.sessions.remainingMs(owner.sessionId)
      : undefined;
    if (remaining === 0) {
      await this.leases.release(owner.key, id);
      await reply
        .code(401)
        .type('text/plain; charset=utf-8')
        .send('Your session has ended: sign in again.\n');
      return;
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client: Client = {
      id,
      owner,
      pending: [],
      write: (chunk) => {
        if (this.clients.has(client)) res.write(chunk);
      },
      end: () => res.end(),
    };
    if (remaining !== undefined && remaining > 0)
      client.expiry = setTimeout(() => this.end(client), Math.min(remaining, 2 ** 31 - 1));
    this.clients.add(client);
    request.raw.on('close', () => this.drop(client));
    this.starting ??= this.start().catch(() => {
      this.starting = undefined;
    });
    void this.sendStats([client]);
  }

  /** Ends the streams of a session now (logout in this process). */
  endSession(sessionId: string): void {
    for (const c of this.clients) if (c.owner.sessionId === sessionId) this.end(c);
  }

  /** Tells the browser its session ended, then closes the stream (no event is written after this). */
  private end(client: Client): void {
    if (!this.clients.has(client)) return;
    client.write('event: session-ended\ndata: {}\n\n');
    this.drop(client);
    client.end();
  }

  private drop(client: Client): void {
    if (!this.clients.delete(client)) return;
    clearTimeout(client.expiry);
    void this.leases.release(client.owner.key, client.id).catch(() => undefined);
    if (this.clients.size === 0) this.stop();
  }

  private async start(): Promise<void> {
    this.unlisten = await this.deps.subscriber.listen((event) => {
      for (const c of this.clients) {
        c.pending.push(event);
        if (c.pending.length > MAX_PENDING) c.pending.splice(0, c.pending.length - MAX_PENDING);
      }
    });
    this.timers = [
      setInterval(() => this.flush(), FLUSH_MS),
      setInterval(() => {
        void this.checkSessions()
          .catch(() => undefined)
          .then(() => this.sendStats([...this.clients]));
      }, STATS_MS),
      setInterval(() => {
        for (const c of this.clients) c.write(': ping\n\n');
      }, HEARTBEAT_MS),
    ];
  }

  /** Ends streams whose session is gone; renews the leases of the others. */
  private async checkSessions(): Promise<void> {
    const clients = [...this.clients];
    const ids = [...new Set(clients.flatMap((c) => (c.owner.sessionId ? [c.owner.sessionId] : [])))];
    const valid = await this.deps.access.sessions.stillValid(ids);
    const gone = new Set(ids.filter((_, i) => !valid[i]));
    for (const c of clients) if (c.owner.sessionId && gone.has(c.owner.sessionId)) this.end(c);
    await this.leases.renew([...this.clients].map((c) => ({ owner: c.owner.key, stream: c.id })));
  }

  private flush(): void {
    for (const c of this.clients) {
      if (c.pending.length === 0) continue;
      const batch = c.pending;
      c.pending = [];
      c.write(`event: activity\ndata: ${JSON.stringify(batch)}\n\n`);
    }
  }

  private async sendStats(clients: Client[]): Promise<void> {
    if (clients.length === 0) return;
    let data: string;
    try {
      data = JSON.stringify(await this.overview.get());
    } catch (err) {
      data = JSON.stringify({
        problems: [`Dashboard cannot read the pipeline state: ${(err as Error).message}`],
      });
    }
    for (const c of clients) c.write(`event: stats\ndata: ${data}\n\n`);
  }

  private stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unlisten?.();
    this.unlisten = undefined;
    this.starting = undefined;
  }

  async close(): Promise<void> {
    this.stop();
    for (const c of [...this.clients]) {
      this.drop(c);
      c.end();
    }
  }
}
