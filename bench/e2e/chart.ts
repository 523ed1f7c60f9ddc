/**
 * The benchmark's chart as a standalone SVG: published photos per second (5 s bins) against the
 * floor, and each photo's latency from upload to published, over the run's time axis.
 */
export interface ChartPhase {
  name: string;
  sent: { photoId: string; sentAt: number }[];
  published: Map<string, number>;
}

const W = 900;
const PANEL = 220;
const M = { left: 64, right: 20, top: 36, gap: 56, bottom: 40 };
const BIN_MS = 5000;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) as number;
}

export function renderChart(input: {
  floorPps: number;
  latencyTargetMs: number;
  phases: ChartPhase[];
}): string {
  const points = input.phases.flatMap((ph, phase) =>
    ph.sent
      .filter((s) => ph.published.has(s.photoId))
      .map((s) => ({ phase, sentAt: s.sentAt, at: ph.published.get(s.photoId) as number })),
  );
  const t0 = Math.min(...points.map((p) => p.sentAt));
  const t1 = Math.max(...points.map((p) => p.at));
  const plotW = W - M.left - M.right;
  const x = (t: number) => M.left + ((t - t0) / (t1 - t0)) * plotW;
  const seconds = (t1 - t0) / 1000;

  // Panel 1: throughput per bin.
  const bins = new Array(Math.ceil((t1 - t0) / BIN_MS) + 1).fill(0) as number[];
  for (const p of points)
    bins[Math.floor((p.at - t0) / BIN_MS)] = (bins[Math.floor((p.at - t0) / BIN_MS)] ?? 0) + 1;
  const rates = bins.map((n) => n / (BIN_MS / 1000));
  const yMax1 = niceMax(Math.max(input.floorPps, ...rates) * 1.1);
  const top1 = M.top;
  const y1 = (v: number) => top1 + PANEL - (v / yMax1) * PANEL;
  const path = rates
    .map(
      (r, i) =>
        `${i === 0 ? 'M' : 'L'}${x(t0 + i * BIN_MS).toFixed(1)},${y1(r).toFixed(1)}H${x(Math.min(t1, t0 + (i + 1) * BIN_MS)).toFixed(1)}`,
    )
    .join('');

  // Panel 2: latency per photo.
  const latencies = points.map((p) => p.at - p.sentAt);
  const yMax2 = niceMax(Math.max(input.latencyTargetMs, ...latencies) * 1.05);
  const top2 = M.top + PANEL + M.gap;
  const y2 = (v: number) => top2 + PANEL - (v / yMax2) * PANEL;
  const colours = ['#2563eb', '#16a34a', '#db2777'];
  const dots = points
    .map(
      (p) =>
        `<circle cx="${x(p.at).toFixed(1)}" cy="${y2(p.at - p.sentAt).toFixed(1)}" r="2" fill="${colours[p.phase % colours.length]}" fill-opacity="0.7"/>`,
    )
    .join('');

  const axis = (top: number, yMax: number, y: (v: number) => number, unit: string) => {
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
    return `${ticks
      .map(
        (v) =>
          `<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/><text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end">${Number.isInteger(v) ? v : v.toFixed(1)}${unit}</text>`,
      )
      .join('')}<line x1="${M.left}" x2="${M.left}" y1="${top}" y2="${top + PANEL}" stroke="#9ca3af"/>`;
  };
  const timeTicks = Array.from({ length: 7 }, (_, i) => (i / 6) * seconds)
    .map(
      (s) =>
        `<text x="${x(t0 + s * 1000)}" y="${top2 + PANEL + 18}" text-anchor="middle">${Math.round(s)} s</text>`,
    )
    .join('');
  const phaseMarks = input.phases
    .map((ph, i) => {
      const start = Math.min(...ph.sent.map((s) => s.sentAt));
      return `<line x1="${x(start)}" x2="${x(start)}" y1="${top1}" y2="${top2 + PANEL}" stroke="${colours[i % colours.length]}" stroke-dasharray="2 3"/><text x="${x(start) + 4}" y="${top1 + 12}" fill="${colours[i % colours.length]}">${esc(ph.name)}</text>`;
    })
    .join('');
  const height = top2 + PANEL + M.bottom;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="DejaVu Sans, sans-serif" font-size="11">
<title>Lightbox end-to-end benchmark: photos published per second against the render floor, and each photo's latency from upload to published</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${M.left}" y="${top1 - 12}" font-size="13" font-weight="bold">Photos published per second (5 s bins) — dashed: render floor ${input.floorPps.toFixed(2)}/s</text>
${axis(top1, yMax1, y1, '')}
<line x1="${M.left}" x2="${W - M.right}" y1="${y1(input.floorPps)}" y2="${y1(input.floorPps)}" stroke="#dc2626" stroke-dasharray="6 4"/>
<path d="${path}" fill="none" stroke="#111827" stroke-width="1.5"/>
<text x="${M.left}" y="${top2 - 12}" font-size="13" font-weight="bold">Latency, upload to published (each photo) — dashed: ${(input.latencyTargetMs / 1000).toFixed(1)} s p95 target</text>
${axis(top2, yMax2, y2, ' ms')}
<line x1="${M.left}" x2="${W - M.right}" y1="${y2(input.latencyTargetMs)}" y2="${y2(input.latencyTargetMs)}" stroke="#dc2626" stroke-dasharray="6 4"/>
${dots}
${phaseMarks}
${timeTicks}
</svg>
`;
}
