/**
 * The corpus's photos of events and distractors: when in the event each is shot, in which agency's
 * style, with which typos, missing fields and time-zone habits.
 */
import type { PhotoMetadata } from '@lightbox/contracts';
import { metadataOf, type Shot, type Style } from './agency-captions.js';
import type { CorpusRandom } from './corpus-random.js';
import type { CorpusPhoto, DistractorSpec, EventSpec } from './corpus-spec.js';

const STYLES: Style[] = ['ap', 'ap', 'ap', 'reuters', 'reuters', 'afp', 'getty', 'dpa', 'epa', 'cp'];

export class CorpusShots {
  constructor(
    readonly random: CorpusRandom,
    /** How often an event's name in a caption has a typo. */
    private readonly typoRate: number,
  ) {}

  shotFor(e: EventSpec, i: number): { shot: Shot; note: string } {
    const start = Date.parse(e.story.event.start);
    const end = Date.parse(e.story.event.end);
    // Most inside the event; some in the hour before or after (arrivals, celebrations).
    const edge = this.random.next();
    const ms =
      edge < 0.1
        ? start - this.random.next() * 3600_000
        : edge < 0.18
          ? end + this.random.next() * 3600_000
          : start + this.random.next() * (end - start);
    const style = this.random.pick(STYLES);
    let phrase: string | null = this.random.pick(e.phrases);
    let venue: string | null = e.venue || null;
    const notes: string[] = [style];
    if (this.random.chance(this.typoRate)) {
      phrase = this.random.typo(phrase);
      notes.push('typo in event');
    }
    if (venue && this.random.chance(0.1)) {
      venue = this.random.typo(venue);
      notes.push('typo in venue');
    }
    if (venue && this.random.chance(0.3)) {
      venue = null;
      notes.push('no venue');
    }
    const zoneRoll = this.random.next();
    const zone: Shot['zone'] =
      zoneRoll < 0.12 ? 'unknown' : zoneRoll < 0.3 && style === 'reuters' ? 'utc' : 'explicit';
    if (zone !== 'explicit') notes.push(`zone ${zone}`);
    return {
      shot: {
        subject: this.random.pick(e.subjects),
        phrase,
        venue,
        city: e.city,
        region: e.region,
        country: e.country,
        countryCode: e.countryCode,
        ms,
        offset: e.offset,
        style,
        slug: this.random.chance(0.8) ? (e.slugs[style] ?? e.slugs.ap) : undefined,
        keywords: this.random.chance(0.7) ? e.keywords : [],
        event: style === 'getty' && this.random.chance(0.6) ? e.story.event.name : undefined,
        zone,
      },
      note: `${notes.join(', ')} #${i}`,
    };
  }

  metadataOf(shot: Shot): PhotoMetadata {
    return metadataOf(this.random, shot);
  }

  /** The event's `count` photos, labelled with its story. */
  eventPhotos(e: EventSpec): CorpusPhoto[] {
    const photos: CorpusPhoto[] = [];
    for (let i = 0; i < e.count; i++) {
      const { shot, note } = this.shotFor(e, i);
      photos.push({ id: `${e.story.id}-${i}`, label: e.story.id, note, metadata: this.metadataOf(shot) });
    }
    return photos;
  }

  /** Three photos of each distractor, 20 minutes apart, in random agency styles. */
  distractorPhotos(list: DistractorSpec[], prefix: string): CorpusPhoto[] {
    const out: CorpusPhoto[] = [];
    for (const [i, d] of list.entries()) {
      for (let k = 0; k < 3; k++) {
        const style = this.random.pick(STYLES);
        const shot: Shot = {
          ...d,
          ms: Date.parse(d.at) + k * 1_200_000,
          style,
          keywords: d.keywords,
          slug: d.slug,
          zone: 'explicit',
        };
        out.push({
          id: `${prefix}-${i}-${k}`,
          label: null,
          note: `${d.note} (${style})`,
          metadata: this.metadataOf(shot),
        });
      }
    }
    return out;
  }
}
