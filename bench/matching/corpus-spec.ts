/** Types of the labelled matching corpus and of the specs it is generated from (make-corpus.ts). */
import type { PhotoMetadata, StoryInput, StoryStatus } from '@lightbox/contracts';

export interface CorpusStory extends StoryInput {
  id: string;
  /** Open unless given (closed stories test late photos and keys that name them). */
  status?: StoryStatus;
}
export interface CorpusPhoto {
  id: string;
  /** The story this photo belongs in, or null for none. */
  label: string | null;
  /** How it was made, for reading confusions. */
  note: string;
  /** `review`: the photo must reach an editor (a closed or unknown event), never be auto-matched nor left unmatched. */
  expect?: 'review';
  metadata: PhotoMetadata;
}
export interface Corpus {
  stories: CorpusStory[];
  photos: CorpusPhoto[];
}

/** A story and how agencies caption its photos. */
export interface EventSpec {
  story: CorpusStory;
  /** How captions name the event (not only the story's own words). */
  phrases: string[];
  venue: string;
  city: string;
  region: string;
  country: string;
  countryCode: string;
  offset: string;
  subjects: string[];
  slugs: Record<string, string>;
  keywords: string[];
  count: number;
}

/** What a caption shows, where: the subject, the event phrase and venue it names, the place. */
export interface SceneSpec {
  subject: string;
  phrase: string | null;
  venue: string | null;
  city: string;
  region: string;
  country: string;
  countryCode: string;
  offset: string;
}

/** Photos from the same places and days (or the same kind of event elsewhere) with no story. */
export interface DistractorSpec extends SceneSpec {
  at: string;
  slug: string;
  keywords: string[];
  note: string;
}
