import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { STAGES } from '@lightbox/contracts';
import type { FastifyInstance } from 'fastify';
import type { DashboardDeps } from './deps.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * bull-board for raw job inspection, behind the same sign-in: editors can look (mutations are
 * refused by `Access.requireQueueBoard`), admins can act.
 */
export async function mountQueueBoard(app: FastifyInstance, deps: DashboardDeps): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: STAGES.map((stage) => new BullMQAdapter(deps.queues.queue(stage))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Lightbox queues' } },
  });
  await app.register(async (board) => {
    board.addHook('onRequest', async (request, reply) => {
      const principal = await deps.access.identify(request, { csrf: false }).catch(() => undefined);
      if (!principal && request.method === 'GET' && !request.url.includes('/api/')) {
        return reply.redirect(`/login?next=${encodeURIComponent(QUEUE_BOARD_PATH)}`, 303);
      }
      await deps.access.requireQueueBoard(request, reply);
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
