import {
  type GalleryLayout,
  galleryLayoutSchema,
  type Story,
  type StoryUpdate,
  storyEventSchema,
} from '@lightbox/contracts';
import type { z } from 'zod';

/** An editor request that cannot be carried out; `code` maps to the HTTP status. */
export class DeskError extends Error {
  override readonly name = 'DeskError';
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A story with an editor's changes applied (pure). Event fields merge into the current event, and
 * the merged event is validated whole: an end before the start is refused, `duration` replaces the
 * end. Reopening clears `closedAt`; closing sets it.
 */
export function applyStoryUpdate(story: Story, update: StoryUpdate, now: Date): Story {
  let event = story.event;
  if (update.event) {
    const { duration, ...fields } = update.event;
    const merged: Record<string, unknown> = { ...story.event, ...fields };
    if (duration !== undefined) {
      if (fields.end !== undefined)
        throw new DeskError('invalid', 'Give event.end or event.duration, not both');
      delete merged.end;
      merged.duration = duration;
    }
    const parsed = storyEventSchema.safeParse(merged);
    if (!parsed.success) throw new DeskError('invalid', describeIssues(parsed.error));
    event = parsed.data;
  }
  const next: Story = {
    ...story,
    ...(update.headline !== undefined ? { headline: update.headline } : {}),
    ...(update.keywords !== undefined ? { keywords: update.keywords } : {}),
    event,
    updatedAt: now.toISOString(),
  };
  if (update.status === 'closed' && story.status !== 'closed') {
    next.status = 'closed';
    next.closedAt = now.toISOString();
  } else if (update.status === 'open' && story.status === 'closed') {
    next.status = 'open';
    delete next.closedAt;
  }
  return next;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${['event', ...i.path].join('.')}: ${i.message}`).join('; ');
}

/**
 * Validates an editor's layout request (pure): unique ids in `order` and `leads`; fields not given
 * keep their current value (`leads: []` clears the chosen leads). Layouts stored before `leads`
 * existed read as having none.
 */
export function parseLayout(input: unknown, current: GalleryLayout): GalleryLayout {
  const parsed = galleryLayoutSchema.safeParse(input);
  if (!parsed.success)
    throw new DeskError(
      'invalid',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const order = parsed.data.order ?? current.order;
  const leads = parsed.data.leads ?? current.leads ?? [];
  for (const [field, ids] of [
    ['order', order],
    ['leads', leads],
  ] as const) {
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) throw new DeskError('invalid', `${field} lists photo ${dup} twice`);
  }
  return {
    order,
    cover: parsed.data.cover === undefined ? current.cover : parsed.data.cover,
    ...(leads.length > 0 ? { leads } : {}),
  };
}
