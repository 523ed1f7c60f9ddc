/**
 * The desk cases' photos tied to a story by an exact key (an event id, an agency job id, a picture
 * the story links to), or naming a closed or unknown event.
 */
import type { Style } from './agency-captions.js';
import type { CorpusShots } from './corpus-shots.js';
import type { CorpusPhoto, EventSpec } from './corpus-spec.js';
import {
  BERLIN_MARATHON_JOB,
  CLOSED_EVENT,
  DESK_EVENTS,
  ELECTION_PICTURES,
  FOREIGN_EVENT_ID,
  NYE_HONG_KONG_ID,
  NYE_LONDON_ID,
  UNKNOWN_EVENT_ID,
} from './desk-cases.js';

const spec = (id: string) => DESK_EVENTS.find((e) => e.story.id === id) as EventSpec;

/**
 * Photos tied to a story by an exact key (or naming a closed or unknown event): captions that say
 * little (a reveller, a runner), a wrong location field, file photos years old.
 */
export function keyCasePhotos(shots: CorpusShots): CorpusPhoto[] {
  const out: CorpusPhoto[] = [];
  const quiet = (e: EventSpec, i: number, subjects: string[], style?: Style) => {
    const { shot, note } = shots.shotFor(e, i);
    Object.assign(shot, {
      subject: shots.random.pick(subjects),
      phrase: null,
      venue: null,
      slug: undefined,
      event: undefined,
    });
    if (style) shot.style = style;
    return { shot, note: note.replace(/^\w+/, shot.style) };
  };
  const london = spec('st_nye_london');
  for (let i = 0; i < 4; i++) {
    const { shot, note } = quiet(london, i, [
      'A reveller in a party hat smiles',
      'A couple kisses at midnight',
      'Police officers patrol the crowd',
    ]);
    out.push({
      id: `key-event-id-${i}`,
      label: 'st_nye_london',
      note: `event id, caption names no event (${note})`,
      metadata: { ...shots.metadataOf(shot), eventIds: [NYE_LONDON_ID] },
    });
  }
  const { shot: misfiled } = shots.shotFor(london, 4);
  out.push({
    id: 'key-event-id-wrong-city',
    label: 'st_nye_london',
    note: "event id on a photo whose city field says Paris (the photographer's base)",
    metadata: {
      ...shots.metadataOf(misfiled),
      city: 'Paris',
      country: 'France',
      countryCode: 'FRA',
      eventIds: [NYE_LONDON_ID],
    },
  });
  const berlin = spec('st_berlin_marathon');
  for (let i = 0; i < 3; i++) {
    const { shot, note } = quiet(
      berlin,
      i,
      ['Runners on the course', 'A runner drinks water', 'Spectators cheer'],
      'dpa',
    );
    out.push({
      id: `key-job-id-${i}`,
      label: 'st_berlin_marathon',
      note: `agency job id (IIM 2:103), caption names no event (${note})`,
      metadata: { ...shots.metadataOf(shot), transmissionReference: BERLIN_MARATHON_JOB },
    });
  }
  for (const [k, guid] of ELECTION_PICTURES.entries()) {
    out.push({
      id: `key-associated-picture-${k}`,
      label: 'st_election_night',
      note: 'file photo from 2019 that the story links to (associations)',
      metadata: {
        caption: `Democratic presidential candidate Sen. Kamala Harris speaks during a campaign stop, Saturday, Aug. 10, 2019, in Des Moines, Iowa. (AP Photo/Charlie Neibergall)`,
        credit: 'AP',
        byline: 'Charlie Neibergall',
        creditLine: 'AP Photo/Charlie Neibergall',
        dateCreated: `2019-08-10T1${k + 1}:00:00-05:00`,
        dateZone: 'explicit',
        city: 'Des Moines',
        country: 'United States',
        countryCode: 'USA',
        keywords: ['Election 2020'],
        guid,
      },
    });
  }
  for (let i = 0; i < 3; i++) {
    const { shot, note } = shots.shotFor(CLOSED_EVENT, i);
    out.push({
      id: `key-closed-event-${i}`,
      label: null,
      expect: 'review',
      note: `event id of a closed story (${note})`,
      metadata: { ...shots.metadataOf(shot), eventIds: [NYE_HONG_KONG_ID] },
    });
  }
  for (let i = 3; i < 6; i++) {
    const { shot, note } = shots.shotFor(CLOSED_EVENT, i);
    out.push({
      id: `closed-event-${i}`,
      label: null,
      expect: 'review',
      note: `late photo of a closed story, no key (${note})`,
      metadata: shots.metadataOf(shot),
    });
  }
  for (let i = 0; i < 3; i++) {
    const { shot, note } = shots.shotFor(london, 10 + i);
    out.push({
      id: `key-unknown-event-${i}`,
      label: null,
      expect: 'review',
      note: `London caption with an event id no story carries (${note})`,
      metadata: { ...shots.metadataOf(shot), eventIds: [UNKNOWN_EVENT_ID] },
    });
  }
  // Event ids of a vocabulary no story uses (Getty's, on a sidecar) say nothing: heuristics decide.
  for (let i = 0; i < 3; i++) {
    const { shot, note } = shots.shotFor(london, 13 + i);
    out.push({
      id: `foreign-event-id-${i}`,
      label: 'st_nye_london',
      note: `London caption with an event id of a vocabulary no story uses (${note})`,
      metadata: { ...shots.metadataOf(shot), eventIds: [FOREIGN_EVENT_ID] },
    });
  }
  return out;
}
