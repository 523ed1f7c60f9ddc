import type { JobPayloads, MatchResult, PhotoStatus, Story } from '@lightbox/contracts';
import { matchPhoto } from '@lightbox/matching';
import type { StageDeps } from './deps.js';
import { schedulePublish } from './publish-schedule.js';

const HOUR = 3600_000;

/** The time range to look for stories in: the photo's instant ± slack, widened by 14 h when the zone is unknown. */
export function candidateRange(
  dateCreated: string | undefined,
  slackHours: number,
): [number, number] | undefined {
  if (!dateCreated) return undefined;
  const zoned = /([+-]\d{2}:\d{2}|Z)$/.test(dateCreated);
  const ms = Date.parse(
    zoned ? dateCreated : `${dateCreated.length === 10 ? `${dateCreated}T12:00:00` : dateCreated}Z`,
  );
  if (Number.isNaN(ms)) return undefined;
  const widen = (slackHours + (zoned ? 0 : 14) + (dateCreated.length === 10 ? 12 : 0)) * HOUR;
  return [ms - widen, ms + widen];
}

/** match: scores the photo against open stories and records the decision with its reasons. */
export class MatchStage {
  constructor(private readonly deps: StageDeps) {}

  async handle({ photoId }: JobPayloads['match']): Promise<void> {
    const { photos, stories, log } = this.deps;
    const photo = await photos.require(photoId);
    if (photo.status === 'rejected' || photo.status === 'killed') return;
    if (!photo.metadata || !photo.renditions)
      throw new Error(`Photo ${photoId} reached match before ingest and render finished`);
    if (photo.embargoUntil && Date.parse(photo.embargoUntil) > Date.now()) {
      throw new Error(`Photo ${photoId} is embargoed until ${photo.embargoUntil}; matched too early`);
    }

    const range = candidateRange(photo.metadata.dateCreated, this.deps.matchOptions.slackHours);
    const candidates: Story[] = range
      ? await stories.listOverlapping(range[0], range[1])
      : await stories.list();
    let outcome = matchPhoto(photo.metadata, candidates, this.deps.matchOptions);
    if (photo.hold && outcome.decision === 'matched') {
      // Something only an editor can clear (an unreadable embargo): never auto-publish.
      outcome = { ...outcome, decision: 'review', reasons: [`held: ${photo.hold}`, ...outcome.reasons] };
    }
    const match: MatchResult = { ...outcome, matchedAt: new Date().toISOString() };

    const previousStory = photo.storyId;
    const newStory = outcome.decision === 'matched' ? (outcome.storyId ?? undefined) : undefined;
    if (previousStory && previousStory !== newStory) {
      await stories.removePhoto(previousStory, photoId);
      await this.publish(previousStory);
    }
    if (newStory) await stories.addPhoto(newStory, photoId);
    const status: PhotoStatus = outcome.decision;
    await photos.update(photoId, { status, match, storyId: newStory ?? null });
    log.info(
      { photoId, storyId: outcome.storyId, decision: outcome.decision, score: outcome.score },
      'photo matched',
    );
    if (newStory) await this.publish(newStory);
  }

  private publish(storyId: string): Promise<void> {
    return schedulePublish(this.deps.queues, storyId, this.deps.publishDelayMs);
  }
}
