import type { JobPayloads } from '@lightbox/contracts';
import { FINAL_STATUSES } from '@lightbox/lifecycle';
import { addLogContext } from '@lightbox/logger';
import type { StageJobContext } from '@lightbox/queue';
import type { Needs } from '../deps.js';

export const INGEST_NEEDS = ['photos', 'work'] as const;

/**
 * ingest: no longer a pipeline step. Intake reads the metadata and the image header and hands the
 * photo to render directly; this stage only drains `ingest` jobs queued by a release before that
 * (an upgrade with work in flight), passing each photo on to render, which reads what such a record
 * lacks from the original it downloads anyway.
 */
export class IngestStage {
  constructor(private readonly deps: Needs<typeof INGEST_NEEDS>) {}

  async handle({ photoId }: JobPayloads['ingest'], context: Pick<StageJobContext, 'jobId'>): Promise<void> {
    const photo = await this.deps.photos.require(photoId);
    addLogContext({ feed: photo.feed });
    if (FINAL_STATUSES.has(photo.status)) return;
    await this.deps.work.advance('ingest', photo, context.jobId);
  }
}
