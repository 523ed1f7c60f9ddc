import type { PhotoMetadata, Story } from '@lightbox/contracts';
import { DEFAULT_MATCH_OPTIONS, type MatchOptions, type MatchOutcome, matchWithIndex } from './matcher.js';
import { StoryIndex } from './story-index.js';

export interface LabelledPhoto {
  id: string;
  /** The story the photo belongs in, or null for none. */
  label: string | null;
  note?: string;
  /** `review`: the photo must reach an editor (a closed or unknown event): neither auto-matched nor unmatched. */
  expect?: 'review';
  metadata: PhotoMetadata;
}

export interface Evaluation {
  photos: number;
  labelled: number;
  /** Auto-matched to the right story. */
  truePositives: number;
  /** Auto-matched to a wrong story, or auto-matched with no story to go to. */
  falsePositives: number;
  /** Of auto-matches, how many were right. */
  precision: number;
  /** Of photos with a story, how many were auto-matched to it. */
  recall: number;
  /** Photos with a story that ended in review (an editor sees them). */
  missesInReview: number;
  /** Photos with a story that ended unmatched although a signal fired for it: silent misses. */
  silentMisses: number;
  /** Photos with a story that ended unmatched with no signal for it at all. */
  unmatchedNoSignal: number;
  /** Photos that must reach an editor (`expect: 'review'`), and how many did. */
  reviewExpected: number;
  reviewExpectedMet: number;
  /** Photos with no story that an editor is asked about (the review load they add). */
  reviewWithoutStory: number;
  /** label → outcome ("matched:<story>", "review", "unmatched") → count */
  confusion: Record<string, Record<string, number>>;
  errors: { id: string; label: string | null; outcome: string; note?: string; reasons: string[] }[];
}

/** Runs the matcher over a labelled corpus and measures it the way the newsroom cares about. */
export function evaluate(
  stories: Story[],
  photos: LabelledPhoto[],
  options: MatchOptions = DEFAULT_MATCH_OPTIONS,
): Evaluation {
  const index = new StoryIndex(options.slackHours * 3600_000);
  for (const s of stories) index.upsert(s);
  const e: Evaluation = {
    photos: photos.length,
    labelled: photos.filter((p) => p.label !== null).length,
    truePositives: 0,
    falsePositives: 0,
    precision: 1,
    recall: 1,
    missesInReview: 0,
    silentMisses: 0,
    unmatchedNoSignal: 0,
    reviewExpected: 0,
    reviewExpectedMet: 0,
    reviewWithoutStory: 0,
    confusion: {},
    errors: [],
  };
  for (const photo of photos) {
    const out: MatchOutcome = matchWithIndex(photo.metadata, index, options);
    const outcome = out.decision === 'matched' ? `matched:${out.storyId}` : out.decision;
    const row = photo.label ?? '(none)';
    e.confusion[row] ??= {};
    (e.confusion[row] as Record<string, number>)[outcome] =
      ((e.confusion[row] as Record<string, number>)[outcome] ?? 0) + 1;
    let wrong = false;
    if (out.decision === 'matched') {
      if (out.storyId === photo.label) e.truePositives++;
      else {
        e.falsePositives++;
        wrong = true;
      }
    } else if (photo.label !== null) {
      wrong = true;
      if (out.decision === 'review') e.missesInReview++;
      else if (out.candidates.some((c) => c.storyId === photo.label)) e.silentMisses++;
      else e.unmatchedNoSignal++;
    } else if (out.decision === 'review') e.reviewWithoutStory++;
    if (photo.expect === 'review') {
      e.reviewExpected++;
      if (out.decision === 'review') e.reviewExpectedMet++;
      else wrong = true;
    }
    if (wrong)
      e.errors.push({
        id: photo.id,
        label: photo.label,
        outcome,
        note: photo.note,
        reasons: out.reasons.slice(0, 6),
      });
  }
  const auto = e.truePositives + e.falsePositives;
  e.precision = auto === 0 ? 1 : e.truePositives / auto;
  e.recall = e.labelled === 0 ? 1 : e.truePositives / e.labelled;
  return e;
}
