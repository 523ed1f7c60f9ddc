import type { PhotoKey } from './keys.js';
import { type PhraseHit, PreparedPhoto } from './prepared-photo.js';
import type { Score } from './score.js';
import { HOUR, pct, TEXT_SIGNAL_MIN } from './signals.js';
import type { IndexedStory } from './story-index.js';

const CAP_REASONS: Record<Exclude<Score['cap'], 'place' | undefined>, string> = {
  generic:
    "the event's name is generic (it happens in many places at once) and the photo's place does not confirm it: needs an editor",
  watched: 'the caption says the event is being watched (screen, fan zone): needs an editor',
  'no-date': 'no capture date: needs an editor',
  'no-evidence': 'no event evidence: same place and time alone never auto-match',
  outside: 'outside the event window the event must be named: needs an editor',
};

export /** The human-readable reasons behind a score: only signals that fired. */
function explain(s: Score, p: PreparedPhoto): string[] {
  const story = s.entry.story;
  const reasons: string[] = [];
  if (s.contradiction) reasons.push(`${s.contradiction.reason}: never auto-matched`);
  const field = (f: number) => PreparedPhoto.FIELD_NAMES[f] ?? '';
  // Scattered hits show the words found, not the whole phrase.
  const words = (f: number, hit: PhraseHit, tokens: string[]) =>
    hit.start >= 0
      ? (p.fields[f] ?? []).slice(hit.start, hit.end).join(' ')
      : `${tokens.filter((t) => (p.similarities(t)[f] ?? []).some((v) => v >= 0.8)).join(' ')} (scattered)`;
  if (s.time?.note) reasons.push(`time: ${s.time.note}`);
  if (!s.time) reasons.push('time: photo has no usable capture date');
  else if (s.inside)
    reasons.push(
      `time: ${p.photo.dateCreated} is within the event (${story.event.start} – ${story.event.end})`,
    );
  else
    reasons.push(
      `time: ${p.photo.dateCreated} is ${(s.distanceMs / HOUR).toFixed(1)} h outside the event window`,
    );
  if (s.eventSignal) {
    const name = s.entry.names[s.event.name] as IndexedStory['names'][number];
    reasons.push(
      `event: "${name.phrase}" ~ "${words(s.event.field, s.event.hit, name.tokens)}" in ${field(s.event.field)} (${pct(s.event.score)})`,
    );
  }
  if (s.venue.score > 0 && s.entry.venue) {
    reasons.push(
      `venue: "${s.entry.venue.phrase}" ~ "${words(s.venue.field, s.venue.hit, s.entry.venue.tokens)}" in ${field(s.venue.field)} (${pct(s.venue.score)})`,
    );
  }
  if (s.cityMatch) reasons.push(`place: city ${story.event.city} matches`);
  else if (s.placeAgrees)
    reasons.push(
      `place: ${p.place.city ?? p.photo.sublocation ?? p.photo.provinceState} lies within the story's place`,
    );
  if (s.countryMatch) reasons.push(`place: country ${story.event.country} matches`);
  if (s.keywordHits.length) reasons.push(`keywords: ${s.keywordHits.join(', ')} shared`);
  if (s.text >= TEXT_SIGNAL_MIN) reasons.push(`text: caption similarity ${pct(s.text)}`);
  if (s.cap && s.cap !== 'place') reasons.push(CAP_REASONS[s.cap]);
  else if (s.watched) reasons.push(CAP_REASONS.watched);
  if (s.closed) reasons.push('story is closed: its gallery is final, late photos need an editor');
  return reasons;
}

export /** The exact-key reason for one key on one story. */
function keyReason(key: PhotoKey, storyId: string): string {
  return `exact key: the photo's ${key.kind} "${key.value}" is one of ${storyId}'s event ids`;
}
