import type { ActivityEvent } from '@lightbox/activity';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DashboardDeps } from './deps.js';
import { loadOverview } from './overview.js';

interface Client {
  write: (chunk: string) => void;
  pending: ActivityEvent[];
}

const FLUSH_MS = 250;
const STATS_MS = 2000;
const HEARTBEAT_MS = 15_000;
/** A browser that cannot keep up gets the newest events only. */
const MAX_PENDING = 500;

/**
 * Server-Sent Events for every open dashboard: activity events from Redis pub/sub (one
 * subscription per process), batched every 250 ms so 100 arrivals/s are a few messages a second;
 * and the overview (queue cards, health, chart data) every 2 s, computed once for all clients.
 * Runs only while someone is watching.
 */
export class LiveHub {
  private readonly clients = new Set<Client>();
  private timers: NodeJS.Timeout[] = [];
  private unlisten?: () => void;
  private starting?: Promise<void>;

  constructor(private readonly deps: DashboardDeps) {}

  attach(request: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client: Client = { write: (chunk) => res.write(chunk), pending: [] };
    this.clients.add(client);
    request.raw.on('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.stop();
    });
    this.starting ??= this.start().catch(() => {
      this.starting = undefined;
    });
    void this.sendStats([client]);
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
      setInterval(() => void this.sendStats([...this.clients]), STATS_MS),
      setInterval(() => {
        for (const c of this.clients) c.write(': ping\n\n');
      }, HEARTBEAT_MS),
    ];
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
      data = JSON.stringify(await loadOverview(this.deps));
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
    this.clients.clear();
  }
}
