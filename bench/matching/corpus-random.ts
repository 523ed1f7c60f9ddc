/** The corpus generator's seeded randomness: the same seed gives the same corpus. */
export class CorpusRandom {
  constructor(private seed: number) {}

  /** The next number in [0, 1) (a linear congruential generator). */
  next(): number {
    this.seed = (this.seed * 1664525 + 1013904223) >>> 0;
    return this.seed / 4294967296;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One typo in a word of five letters or more: swap, drop or replace a letter. */
  typo(text: string): string {
    const words = text.split(' ');
    const idx = words.map((w, i) => (w.replace(/[^A-Za-z]/g, '').length >= 5 ? i : -1)).filter((i) => i >= 0);
    if (idx.length === 0) return text;
    const i = this.pick(idx);
    const w = words[i] as string;
    const j = 1 + Math.floor(this.next() * (w.length - 2));
    const kind = this.next();
    words[i] =
      kind < 0.4
        ? w.slice(0, j) + (w[j + 1] ?? '') + w[j] + w.slice(j + 2)
        : kind < 0.7
          ? w.slice(0, j) + w.slice(j + 1)
          : w.slice(0, j) + this.pick(['a', 'e', 't', 'n']) + w.slice(j + 1);
    return words.join(' ');
  }
}
