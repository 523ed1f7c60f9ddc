/** The bench's command line, its targets and small helpers shared by its modules. */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

export const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '200' },
    workers: { type: 'string', default: String(availableParallelism()) },
    'scaling-photos': { type: 'string', default: '32' },
    'scaling-rounds': { type: 'string', default: '2' },
    'skip-scaling': { type: 'boolean', default: false },
  },
});
export const PHOTOS = Math.max(10, Number(values.photos));
export const WORKERS = Math.max(1, Number(values.workers));
export const SCALING_PHOTOS = Math.max(4, Number(values['scaling-photos']));
export const SCALING_ROUNDS = Math.max(1, Number(values['scaling-rounds']));
export const CORES = availableParallelism();
export const PREFIX = 'lightbox';
export const UPLOADS_IN_FLIGHT = 4;
/** The targets (docs/operations.md). */
export const TARGETS = {
  throughputVsFloor: 0.8,
  p95Ms: 1000,
  s3RequestsPerPhoto: 8,
  redisStateBytesPerPhoto: 4096,
  peakRssMb: 400,
  renderScaling: 1.8,
  renderCpuVsFloor: 1.1,
};

export const say = (line: string) => process.stdout.write(`${line}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
export const at = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s`;

export const fmt = (n: number, digits = 2) => n.toFixed(digits);
