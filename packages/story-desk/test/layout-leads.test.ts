import { describe, expect, it } from 'vitest';
import { layoutWithLead } from '../src/index.js';

const entry = (photoId: string, alternates: string[] = []) => ({
  photoId,
  alternates: alternates.map((a) => ({ photoId: a })),
});
// Two groups: ph_a shown with ph_a2, ph_a3 as alternates; ph_b alone.
const manifest = { photos: [entry('ph_a', ['ph_a2', 'ph_a3']), entry('ph_b')] } as never;

describe('layoutWithLead: an alternate becomes its group’s shown frame', () => {
  it('joins the leads in place of its group’s other photos; order and cover stay', () => {
    expect(
      layoutWithLead({ order: ['ph_b', 'ph_a'], cover: 'ph_b', leads: ['ph_a3', 'ph_x'] }, manifest, 'ph_a2'),
    ).toEqual({ order: ['ph_b', 'ph_a'], cover: 'ph_b', leads: ['ph_x', 'ph_a2'] });
  });

  it('a group that holds the cover gets the new lead as its cover', () => {
    expect(layoutWithLead({ order: [], cover: 'ph_a' }, manifest, 'ph_a3')).toEqual({
      order: [],
      cover: 'ph_a3',
      leads: ['ph_a3'],
    });
  });

  it('the shown photo itself is pinned as the lead; a photo in no group is refused', () => {
    expect(layoutWithLead({ order: [], cover: null }, manifest, 'ph_b')).toEqual({
      order: [],
      cover: null,
      leads: ['ph_b'],
    });
    expect(layoutWithLead({ order: [], cover: null }, manifest, 'ph_zz')).toBeUndefined();
  });
});
