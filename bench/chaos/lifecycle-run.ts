/**
 * `npm run chaos:lifecycle [-- --transmissions 2000 --seed 7]`: the lifecycle's model-based
 * concurrency suite on the real stack (see lifecycle.ts). Writes bench/results/chaos-lifecycle.json
 * and exits 1 on any invariant violation. `npm test` runs a short variant (bench's test:e2e).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runLifecycleChaos } from './lifecycle.js';

const { values } = parseArgs({
  options: {
    transmissions: { type: 'string', default: '2000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const seed = Number(values.seed);
say(
  `lifecycle chaos: at least ${values.transmissions} transmissions, seed ${seed} (replay with --seed ${seed})`,
);
const report = await runLifecycleChaos({ transmissions: Number(values.transmissions), seed, say });
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'chaos-lifecycle.json');
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
say(
  `${report.transmissions} transmissions (${report.http} HTTP, ${report.hotFolder} hot folder) for ${report.identities} identities in ${report.rounds} rounds, ${report.durationS} s`,
);
say(`answers: ${JSON.stringify(report.outcomes)}`);
say(
  report.violations.length === 0
    ? 'MET: 0 invariant violations'
    : `VIOLATIONS (${report.violations.length}):`,
);
for (const v of report.violations.slice(0, 50)) say(`  - ${v}`);
process.exit(report.violations.length === 0 ? 0 : 1);
