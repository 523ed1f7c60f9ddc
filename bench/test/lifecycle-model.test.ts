import { describe, expect, it } from 'vitest';
import {
  applyTx,
  applyWave,
  emptyState,
  expectedOf,
  permutations,
  type Tx,
} from '../chaos/lifecycle-model.js';

const NOW = 1_000_000;
let seq = 0;
const tx = (over: Partial<Tx> = {}): Tx => {
  const s = ++seq;
  return {
    seq: s,
    identity: 0,
    kind: 'update',
    feed: 'ap',
    group: 'ap',
    route: 'http',
    fingerprint: `fp${s}`,
    caption: `c${s}`,
    publicCaption: `c${s}`,
    ...over,
  };
};
const run = (...txs: Tx[]) => txs.reduce((s, t) => applyTx(s, t, NOW).state, emptyState());

describe('the reference model', () => {
  it('kill wins in any order; another group is refused', () => {
    const o = tx({ kind: 'original' });
    const k = tx({ kind: 'kill' });
    expect(expectedOf(run(o, k), NOW).status).toBe('killed');
    expect(expectedOf(run(k, o), NOW).status).toBe('killed');
    const r = tx({ kind: 'kill', group: 'rtr', feed: 'rtr' });
    expect(applyTx(run(o), r, NOW).outcome).toBe('refused');
    expect(expectedOf(run(r, o), NOW).status).toBe('published'); // a foreign pre-kill does not count
  });
  it('a correction stays current over a later plain version; a later correction replaces it', () => {
    const o = tx({ kind: 'original' });
    const c = tx({ kind: 'correction', caption: 'CORRECTS x', publicCaption: 'x' });
    expect(expectedOf(run(c, o), NOW).publicCaption).toBe('x');
    expect(expectedOf(run(o, c), NOW).publicCaption).toBe('x');
  });
  it('embargoes only tighten; a release ends them; an older copy does not return', () => {
    const e = tx({ kind: 'original', embargoUntil: NOW + 100 });
    const c = tx({ kind: 'correction' });
    expect(expectedOf(run(e, c), NOW)).toMatchObject({ status: 'embargoed', embargoUntil: NOW + 100 });
    const r = tx({ kind: 'release' });
    const again = tx({ kind: 'update', embargoUntil: NOW + 100 });
    expect(expectedOf(run(e, r, again), NOW).status).toBe('published');
    expect(expectedOf(run(e), NOW + 101).status).toBe('published');
  });
  it('resends are duplicates; a refused one is refused again', () => {
    const o = tx({ kind: 'original' });
    expect(applyTx(run(o), { ...o, seq: 99 }, NOW).outcome).toBe('duplicate');
    const foreign = tx({ group: 'rtr', feed: 'rtr' });
    const s = run(o, foreign);
    expect(applyTx(s, { ...foreign, seq: 100 }, NOW).outcome).toBe('refused');
  });
  it('a wave keeps only the orders that explain the answers', () => {
    const a = tx({ kind: 'original', feed: 'ap', group: 'ap' });
    const b = tx({ kind: 'original', feed: 'rtr', group: 'rtr' });
    expect(permutations([a, b])).toHaveLength(2);
    const both = applyWave([emptyState()], [a, b], new Map(), NOW);
    expect(both.map((s) => s.owner).sort()).toEqual(['ap', 'rtr']);
    const apWon = applyWave([emptyState()], [a, b], new Map([[b.seq, 'refused']]), NOW);
    expect(apWon.map((s) => s.owner)).toEqual(['ap']);
    expect(
      applyWave(
        [emptyState()],
        [a, b],
        new Map([
          [a.seq, 'refused'],
          [b.seq, 'refused'],
        ]),
        NOW,
      ),
    ).toEqual([]);
  });
});
