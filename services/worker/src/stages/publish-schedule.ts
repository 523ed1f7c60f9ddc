import type { PipelineQueues } from '@lightbox/queue';

/**
 * Coalesces publishes of a story: while one is waiting, more requests add nothing; while one is
 * running, exactly one follow-up is kept (BullMQ deduplication with keepLastIfActive). The manifest
 * is rebuilt from state, so the follow-up always includes everything.
 */
export async function schedulePublish(
  queues: PipelineQueues,
  storyId: string,
  delayMs: number,
): Promise<void> {
  await queues.add(
    'publish',
    { storyId },
    { delay: delayMs, deduplication: { id: storyId, keepLastIfActive: true } },
  );
}
