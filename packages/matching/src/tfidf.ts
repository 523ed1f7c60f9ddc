import { isStopword, tokenize } from './text.js';

export type TermVector = Map<string, number>;

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokenize(text)) {
    if (isStopword(t) || t.length < 2) continue;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/** TF-IDF over a small corpus (the candidate stories), with smoothed IDF. */
export class TfIdf {
  private readonly idf = new Map<string, number>();
  private readonly docs: TermVector[];
  private readonly n: number;

  constructor(documents: string[]) {
    const counts = documents.map(termCounts);
    this.n = documents.length;
    const df = new Map<string, number>();
    for (const c of counts) for (const term of c.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    for (const [term, d] of df) this.idf.set(term, Math.log((1 + this.n) / (1 + d)) + 1);
    this.docs = counts.map((c) => this.weigh(c));
  }

  private weigh(counts: Map<string, number>): TermVector {
    const v: TermVector = new Map();
    const defaultIdf = Math.log(1 + this.n) + 1;
    for (const [term, c] of counts) v.set(term, (1 + Math.log(c)) * (this.idf.get(term) ?? defaultIdf));
    return v;
  }

  /** Cosine similarity between `text` and document `index`, in [0, 1]. */
  similarity(text: string, index: number): number {
    const doc = this.docs[index];
    if (!doc) return 0;
    const q = this.weigh(termCounts(text));
    let dot = 0;
    let qn = 0;
    let dn = 0;
    for (const [t, w] of q) {
      qn += w * w;
      const dw = doc.get(t);
      if (dw) dot += w * dw;
    }
    for (const w of doc.values()) dn += w * w;
    return qn === 0 || dn === 0 ? 0 : dot / Math.sqrt(qn * dn);
  }
}
