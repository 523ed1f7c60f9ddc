import { clip } from '@lightbox/activity';
import { type JobPayloads, type MatchResult, photoInstant } from '@lightbox/contracts';
import { MATCHABLE_STATUSES, withEditorReview } from '@lightbox/lifecycle';
import { addLogContext } from '@lightbox/logger';
import { matchWithIndex } from '@lightbox/matching';
import type { Needs } from '../deps.js';
import { StoryIndexCache } from './story-index-cache.js';
import { thumbnailUrl } from './thumbnail.js';

export const MATCH_NEEDS = [
  'photos',
  'stories',
  'lifecycle',
  'work',
  'publishing',
  'matchOptions',
  'activity',
  'store',
  'log',
  'metrics',
] as const;

/**
 * match: scores the photo against the indexed stories and records the decision with its reasons.
 * Editors' decisions stand: a photo an editor assigned or unassigned is never re-decided here.
 */
export class MatchStage {
  private readonly index: StoryIndexCache;

  constructor(private readonly deps: Needs<typeof MATCH_NEEDS>) {
    this.index = new StoryIndexCache(deps.stories, deps.matchOptions.slackHours);
  }

  async handle({ photoId }: JobPayloads['match']): Promise<void> {
    const { photos, stories, log } = this.deps;
    const photo = await photos.require(photoId);
    addLogContext({ feed: photo.feed });
    // Killed, rejected, expired, or waiting for its embargo or an editor: the lifecycle queues a
    // match when the photo is released.
    if (!MATCHABLE_STATUSES.has(photo.status)) return;
    if (photo.match?.manual) {
      // An editor decided: the photo (a new version of it, or one the editor assigned before it was
      // rendered) goes where the editor put it, and is (re)published there.
      const kept = await this.deps.lifecycle.apply(
        photoId,
        { type: 'keep-decision' },
        { version: photo.version },
      );
      if (kept.ok) await this.deps.work.run(kept.photo, kept.effects);
      else if (photo.storyId && photo.status === 'matched')
        await this.deps.publishing.schedule(photo.storyId);
      return;
    }
    if (!photo.metadata || !photo.renditions)
      throw new Error(`Photo ${photoId} reached match before ingest and render finished`);

    // AI or synthetic media (and the like) go to review with the reason: never matched automatically.
    const outcome = withEditorReview(
      matchWithIndex(photo.metadata, await this.index.current(), this.deps.matchOptions),
      photo.reviewReason,
    );
    const match: MatchResult = { ...outcome, matchedAt: new Date().toISOString() };
    const newStory = outcome.decision === 'matched' ? (outcome.storyId ?? undefined) : undefined;
    const done = await this.deps.lifecycle.apply(
      photoId,
      { type: 'auto-match', decision: outcome.decision, storyId: newStory ?? null },
      {
        version: photo.version,
        set: { match, storyId: newStory ?? null },
        // Filed by capture instant (contracts' capture-time rules), so backfill finds it.
        awaitingAt: newStory ? null : photoInstant(photo),
      },
    );
    if (!done.ok) {
      log.info({ photoId, why: done.message }, 'match not recorded');
      return;
    }
    const previousStory = photo.storyId;
    if (previousStory && previousStory !== newStory) await stories.removePhoto(previousStory, photoId);
    if (newStory) await stories.addPhoto(newStory, photoId);
    await this.deps.work.run(done.photo, done.effects); // republishes (a correction of a published photo too)
    log.info(
      { photoId, storyId: outcome.storyId, decision: outcome.decision, score: outcome.score },
      'photo matched',
    );
    this.deps.metrics?.matchDecisions.inc({ decision: outcome.decision });
    const index = await this.index.current();
    await this.deps.activity.publish({
      kind: outcome.decision,
      at: match.matchedAt,
      photoId,
      feed: photo.feed,
      caption: clip(photo.metadata.caption ?? photo.metadata.headline),
      credit: photo.metadata.creditLine ?? photo.metadata.credit,
      // Disturbing pictures are not shown on the live feed: the photo page blurs them until revealed.
      thumbnail: photo.sensitive ? undefined : thumbnailUrl(photo, this.deps.store),
      storyId: outcome.storyId ?? undefined,
      storySlug: outcome.storyId ? index.get(outcome.storyId)?.story.slug : undefined,
      score: outcome.score,
      reason: outcome.reasons[0],
    });
  }
}
