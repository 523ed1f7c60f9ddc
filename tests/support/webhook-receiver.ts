import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook delivery as a test subscriber saw it. */
export interface Delivery {
  type: string;
  photoId?: string;
  /** Whether the gallery (read when the event arrived) still listed the photo. */
  inGallery?: boolean;
  /** The event's `data`, as sent. */
  data: Record<string, unknown>;
}

/**
 * A loopback webhook subscriber. For the photo events in `checkGallery` it does what a downstream
 * site does on receipt: fetch the gallery (`shownIds`) and note whether the photo is still in it.
 */
export async function startWebhookReceiver(
  checkGallery: readonly string[] = [],
  shownIds: () => Promise<string[]> = async () => [],
): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        type: string;
        data: Record<string, unknown> & { photoId?: string };
      };
      const delivery: Delivery = { type: body.type, photoId: body.data.photoId, data: body.data };
      if (checkGallery.includes(body.type))
        delivery.inGallery = (await shownIds()).includes(body.data.photoId ?? '');
      deliveries.push(delivery);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    deliveries,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
