import {
  type GalleryLayout,
  type Story,
  type StoryInput,
  storyInputSchema,
  storyUpdateSchema,
} from '@lightbox/contracts';
import { DeskError, layoutWithLead } from '@lightbox/story-desk';
import type { z } from 'zod';
import type { DeskDeps } from './deps.js';
import { byConcern, feedHealthView } from './feeds.js';
import { type Failures, JobActions, runQueueAction, stageFailures } from './jobs.js';
import { decidePhoto, photoDetail, revealPhoto, reviewInbox, searchPhotos } from './photos.js';
import { type Actor, photoIdInput, storyIdInput, storyPhotoInput } from './schemas/common.js';
import type { FeedHealthView } from './schemas/feeds.js';
import { type JobActionResult, jobActionInput, queueActionInput } from './schemas/jobs.js';
import {
  assignInput,
  type PhotoDecision,
  type PhotoDecisionKind,
  type PhotoDetail,
  type PhotoSearch,
  photoSearchInput,
  type ReviewInbox,
  reviewInboxInput,
} from './schemas/photos.js';
import { type StoryPage, type StoryView, storyListInput } from './schemas/stories.js';
import { listStories, type StoryGallery, storyGallery, storyView } from './stories.js';

type In<S extends z.ZodType> = z.input<S>;

/**
 * Every read and command that editors (the dashboard) and clients (the JSON API) share, with no
 * web framework: each handler takes input checked by its zod schema (a `ZodError` when it is bad)
 * and returns a typed result; a `DeskError` says not found, conflict or invalid. The adapters map
 * these to HTTP. Commands take the acting principal for the audit trail.
 */
export class Desk {
  private readonly jobs: JobActions;

  constructor(private readonly deps: DeskDeps) {
    this.jobs = new JobActions(deps.queues, deps.audit);
  }

  /** Photos the matcher was unsure about, newest arrival first. */
  async reviewInbox(input: In<typeof reviewInboxInput> = {}): Promise<ReviewInbox> {
    return reviewInbox(this.deps, reviewInboxInput.parse(input));
  }

  /** The review inbox with, for each photo, the open stories near its capture time. */
  async reviewCards(input: In<typeof reviewInboxInput> = {}) {
    return reviewInbox(this.deps, reviewInboxInput.parse(input), true);
  }

  async searchPhotos(input: In<typeof photoSearchInput> = {}): Promise<PhotoSearch> {
    return searchPhotos(this.deps, photoSearchInput.parse(input));
  }

  async photoDetail(input: In<typeof photoIdInput>): Promise<PhotoDetail> {
    return photoDetail(this.deps, photoIdInput.parse(input).photoId);
  }

  /** An editor chooses to see a picture flagged as graphic (audited): its detail. */
  async revealPhoto(input: In<typeof photoIdInput>, by: Actor): Promise<PhotoDetail> {
    return revealPhoto(this.deps, photoIdInput.parse(input).photoId, by);
  }

  /** assign (with `storyId`), unassign, reject, release-embargo, release-hold. */
  async decide(
    decision: PhotoDecisionKind,
    input: In<typeof photoIdInput> & { body?: unknown },
    by: Actor,
  ): Promise<PhotoDecision> {
    const { photoId } = photoIdInput.parse(input);
    const storyId = decision === 'assign' ? assignInput.parse(input.body ?? {}).storyId : undefined;
    return decidePhoto(this.deps, decision, photoId, by, storyId);
  }

  async listStories(input: In<typeof storyListInput> = {}): Promise<StoryPage> {
    return listStories(this.deps, storyListInput.parse(input));
  }

  /** Stories to choose from in a filter (the latest 200 by event start; no counts). */
  async storyChoices(): Promise<Story[]> {
    return (await this.deps.stories.page(0, 200)).stories;
  }

  async story(input: In<typeof storyIdInput>): Promise<StoryView> {
    return storyView(this.deps, await this.deps.storyDesk.requireStory(storyIdInput.parse(input).storyId));
  }

  async storyGallery(input: In<typeof storyIdInput>): Promise<StoryGallery> {
    return storyGallery(this.deps, storyIdInput.parse(input).storyId);
  }

  /** A new story; photos already waiting in its window are matched again (backfill). */
  async createStory(input: StoryInput | unknown, by: Actor): Promise<Story> {
    return this.deps.storyDesk.create(storyInputSchema.parse(input), by.name);
  }

  async updateStory(input: In<typeof storyIdInput> & { body?: unknown }, by: Actor): Promise<StoryView> {
    const { storyId } = storyIdInput.parse(input);
    const update = storyUpdateSchema.parse(input.body ?? {});
    return storyView(this.deps, await this.deps.storyDesk.update(storyId, update, by.name));
  }

  async closeStory(input: In<typeof storyIdInput>, by: Actor): Promise<StoryView> {
    return storyView(this.deps, await this.deps.storyDesk.close(storyIdInput.parse(input).storyId, by.name));
  }

  async layout(input: In<typeof storyIdInput>): Promise<GalleryLayout> {
    return this.deps.storyDesk.layout(storyIdInput.parse(input).storyId);
  }

  async setLayout(input: In<typeof storyIdInput> & { body?: unknown }, by: Actor): Promise<GalleryLayout> {
    return this.deps.storyDesk.setLayout(storyIdInput.parse(input).storyId, input.body ?? {}, by.name);
  }

  /**
   * Makes a photo the shown frame of its near-duplicate group in the story's gallery (an alternate
   * becomes its group's lead; `layoutWithLead`), audited and republished like any layout change.
   */
  async makeLead(input: In<typeof storyPhotoInput>, by: Actor): Promise<GalleryLayout> {
    const { storyId, photoId } = storyPhotoInput.parse(input);
    const { manifest, layout } = await storyGallery(this.deps, storyId);
    const next = manifest && layoutWithLead(layout, manifest, photoId);
    if (!next) throw new DeskError('not_found', `${photoId} is not in ${storyId}'s published gallery`);
    return this.deps.storyDesk.setLayout(storyId, { cover: next.cover, leads: next.leads }, by.name);
  }

  /** Retry or discard one job, by `judgeJobAction`; every attempt is audited. */
  async jobAction(input: In<typeof jobActionInput>, by: Actor): Promise<JobActionResult> {
    const { stage, jobId, action } = jobActionInput.parse(input);
    return this.jobs.run(stage, jobId, action, by);
  }

  /** Pause or resume a stage, or retry all its failed jobs (audited). */
  async queueAction(input: In<typeof queueActionInput>, by: Actor): Promise<void> {
    const { stage, action } = queueActionInput.parse(input);
    await runQueueAction(this.deps.queues, this.deps.audit, stage, action, by);
  }

  /** Every feed's health: silent or rejecting ones first. */
  async feeds(): Promise<FeedHealthView[]> {
    return (await this.deps.feedHealth.summaries()).map(feedHealthView).sort(byConcern);
  }

  /** Failed jobs per stage and the dead letters. */
  async failures(): Promise<Failures> {
    const [stages, dead] = await Promise.all([
      stageFailures(this.deps.queues),
      this.deps.queues.deadLetters.list(0, 50),
    ]);
    return { stages, dead };
  }
}
