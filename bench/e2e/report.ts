/** The run's figures against the targets: `bench/results/e2e.json`, `e2e.svg`, and the summary printed. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '@lightbox/test-infra';
import sharp from 'sharp';
import type { WayResult } from '../render/run-way.js';
import { renderChart } from './chart.js';
import type { FixedRate, FullSpeed, Scaling } from './phases.js';
import { CORES, fmt, PHOTOS, say, TARGETS, WORKERS } from './settings.js';
import { uploadRetries } from './uploads.js';
import { BENCH_STORIES } from './wire-photos.js';

export interface RunFigures {
  input: { width?: number; height?: number; frames: number };
  floor: WayResult;
  full: FullSpeed;
  fixed: FixedRate;
  scaling: Scaling;
  rss: Record<string, number>;
  loadAverage: { start: number[]; end: number[] };
}

const met = (value: number | null, target: number, atLeast: boolean) => ({
  value,
  target,
  met: value !== null && (atLeast ? value >= target : value <= target),
});

function targetsOf({ floor, full, fixed, scaling, rss }: RunFigures) {
  const renderCpuVsFloor = scaling.renderCpu === null ? null : scaling.renderCpu / floor.cpuMsPerPhoto;
  return {
    throughput_vs_floor: met(full.throughput / floor.pps, TARGETS.throughputVsFloor, true),
    p95_ms_at_half_load: met(fixed.p95, TARGETS.p95Ms, false),
    s3_requests_per_photo: met(full.s3PerPhoto, TARGETS.s3RequestsPerPhoto, false),
    redis_state_bytes_per_photo: met(full.statePerPhoto, TARGETS.redisStateBytesPerPhoto, false),
    peak_rss_mb_every_process: met(Math.max(...Object.values(rss)), TARGETS.peakRssMb, false),
    render_scaling_2_vs_1: met(scaling.ratio, TARGETS.renderScaling, true),
    render_stage_cpu_vs_floor: met(renderCpuVsFloor, TARGETS.renderCpuVsFloor, false),
  };
}

/** Every figure of the run, as `e2e.json` keeps it. */
function resultOf(figures: RunFigures, targets: ReturnType<typeof targetsOf>) {
  const { floor, full, fixed, scaling, rss } = figures;
  const perPhoto = (v: number) => Math.round(v / full.photos);
  return {
    photos: PHOTOS,
    stories: BENCH_STORIES.length,
    cores: CORES,
    worker_processes: WORKERS,
    input: figures.input,
    throughput_pps: full.throughput,
    steady_throughput_pps: full.steady,
    floor_pps: floor.pps,
    throughput_vs_floor: full.throughput / floor.pps,
    fixed_rate_pps: fixed.rate,
    p50_ms: fixed.p50,
    p95_ms: fixed.p95,
    p99_ms: fixed.p99,
    server_p50_ms: fixed.serverP50,
    server_p95_ms: fixed.serverP95,
    peak_rss_mb: Math.max(...Object.values(rss)),
    peak_rss_mb_by_process: rss,
    floor_peak_rss_mb: floor.peakRssMb,
    floor_cpu_ms_per_photo: Math.round(floor.cpuMsPerPhoto),
    s3_requests_per_photo: full.s3PerPhoto,
    s3_requests_per_photo_by_command: full.s3ByCommand,
    s3_writes_per_photo_by_kind: full.s3WritesByKind,
    latency_breakdown_ms: fixed.breakdown,
    redis_bytes_per_photo: full.statePerPhoto,
    redis_job_history_bytes_per_photo: full.queuesPerPhoto,
    redis_activity_bytes_total: full.memAfter.bounded,
    redis_used_memory_per_photo: full.usedPerPhoto,
    redis_photo_record_bytes_by_field: full.recordFields,
    redis_state_bytes_per_photo_by_key: Object.fromEntries(
      Object.entries(full.memAfter.families)
        .map(([k, v]) => [k, perPhoto(v - (full.memBefore.families[k] ?? 0))] as const)
        .filter(([, v]) => v !== 0)
        .sort((a, b) => b[1] - a[1]),
    ),
    cpu_ms_per_photo_by_process: full.cpuPerPhoto,
    cpu_vs_floor_by_process: Object.fromEntries(
      Object.entries(full.cpuPerPhoto).map(([k, v]) => [
        k,
        Math.round((v / floor.cpuMsPerPhoto) * 100) / 100,
      ]),
    ),
    pipeline_cpu_ms_per_photo: full.pipelineCpu,
    pipeline_cpu_ms_per_photo_without_object_store: full.pipelineCpuWithoutStore,
    pipeline_cpu_vs_floor: full.pipelineCpu / floor.cpuMsPerPhoto,
    pipeline_cpu_vs_floor_without_object_store: full.pipelineCpuWithoutStore / floor.cpuMsPerPhoto,
    render_stage_cpu_ms_per_photo: scaling.renderCpu === null ? null : Math.round(scaling.renderCpu),
    render_stage_cpu_vs_floor: targets.render_stage_cpu_vs_floor.value,
    mean_job_ms_full_speed: full.jobMs,
    render_scaling: scaling.rounds,
    render_scaling_ratio: scaling.ratio,
    targets,
    versions: { node: process.version, sharp: sharp.versions.sharp, vips: sharp.versions.vips },
    upload_retries: uploadRetries(),
    load_average: figures.loadAverage,
    measured_at: new Date().toISOString(),
  };
}

/** Writes `e2e.json` and `e2e.svg` under bench/results and prints each target met or missed. */
export async function writeReport(figures: RunFigures): Promise<void> {
  const targets = targetsOf(figures);
  const outDir = join(REPO_ROOT, 'bench', 'results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'e2e.json'), `${JSON.stringify(resultOf(figures, targets), null, 2)}\n`);
  await writeFile(
    join(outDir, 'e2e.svg'),
    renderChart({
      floorPps: figures.floor.pps,
      latencyTargetMs: TARGETS.p95Ms,
      phases: [
        { name: 'full speed', sent: figures.full.sent, published: figures.fixed.published },
        {
          name: `fixed rate ${fmt(figures.fixed.rate)}/s`,
          sent: figures.fixed.sent,
          published: figures.fixed.published,
        },
      ],
    }),
  );
  say('');
  for (const [name, t] of Object.entries(targets)) {
    const v = t.value === null ? '–' : fmt(t.value);
    const op = name.startsWith('throughput') || name === 'render_scaling_2_vs_1' ? '≥' : '≤';
    say(`${t.met ? 'MET   ' : 'MISSED'} ${name}: ${v} (target ${op} ${t.target})`);
  }
  say(
    `peak RSS MB: ${Object.entries(figures.rss)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  say('wrote bench/results/e2e.json and bench/results/e2e.svg');
}
