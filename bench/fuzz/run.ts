/**
 * `npm run fuzz:ingest [-- --mutants N]`: hostile and broken input against the ingest path.
 * See docs/reliability.md.
 *
 * 1. Random mutations of real JPEGs (flips, truncations, splices, bad segment lengths, absurd
 *    dimensions), plus crafted inputs: a 100,000 × 100,000 PNG header bomb, deeply nested and
 *    oversized XMP, a billion-laughs NewsML-G2 — each through sniff, probe, metadata and render,
 *    in child processes that are watched for crashes and hangs.
 * 2. Against the real stack: 1,000 concurrent uploads, slowloris bodies, and the billion laughs
 *    as an upload's sidecar.
 * Writes bench/results/fuzz.json; exits 1 on any crash, hang, unclassified error, or a peak RSS
 * over the 400 MB a render worker may use.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NewsmlError, parseNewsml } from '@lightbox/newsml';
import { REPO_ROOT } from '@lightbox/test-infra';
import { againstStack } from './against-stack.js';
import { type Result, runAll } from './child-pool.js';
import { BILLION_LAUGHS, crafted } from './crafted-inputs.js';
import { mutate } from './mutants.js';

const { values } = parseArgs({
  options: { mutants: { type: 'string', default: '2000' }, uploads: { type: 'string', default: '1000' } },
});
const MUTANTS = Math.max(10, Number(values.mutants));
const UPLOADS = Math.max(10, Number(values.uploads));
const RSS_LIMIT_MB = 400;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const seedFiles = [
    ...(await readdir(join(REPO_ROOT, 'demo', 'wire'))).map((f) => join(REPO_ROOT, 'demo', 'wire', f)),
    ...['wire', 'camera', 'iptc'].flatMap((d) => [join(REPO_ROOT, 'tests', 'fixtures', 'real', d)]),
  ];
  const seeds: Buffer[] = [];
  for (const f of seedFiles) {
    if (f.endsWith('.jpg')) seeds.push(await readFile(f));
    else for (const g of await readdir(f)) if (g.endsWith('.jpg')) seeds.push(await readFile(join(f, g)));
  }
  const inputs = [
    ...(await crafted(seeds[0] as Buffer)),
    ...Array.from({ length: MUTANTS }, (_, i) => {
      const { bytes, how } = mutate(seeds[i % seeds.length] as Buffer);
      return { name: `mutant-${i} (${how})`, bytes };
    }),
  ];
  say(
    `fuzz: ${inputs.length} inputs (${MUTANTS} mutants of ${seeds.length} real JPEGs, ${inputs.length - MUTANTS} crafted)`,
  );

  let newsml: string;
  try {
    parseNewsml(BILLION_LAUGHS);
    newsml = 'parsed (BAD)';
  } catch (err) {
    newsml = err instanceof NewsmlError ? err.code : `unexpected ${(err as Error).message}`;
  }

  const { results, peakRssMb: peakChildRss } = await runAll(inputs, 2, say);
  const count = (o: Result['outcome']) => results.filter((r) => r.outcome === o).length;
  const reasons: Record<string, number> = {};
  for (const r of results)
    if (r.outcome === 'rejected') {
      const code = (r.reason ?? '').split(':')[0] as string;
      reasons[code] = (reasons[code] ?? 0) + 1;
    }
  const craftedOutcomes = Object.fromEntries(
    results
      .filter((r) => !r.name.startsWith('mutant'))
      .map((r) => [r.name, `${r.outcome}${r.reason ? `: ${r.reason}` : ''}`]),
  );
  say(
    `in-process: ${count('processed')} processed, ${count('rejected')} rejected, ${count('unexpected')} unexpected, ${count('crash')} crashes, ${count('hang')} hangs; peak RSS ${peakChildRss} MB`,
  );

  say('against the stack: 1,000 concurrent uploads, slowloris, billion laughs sidecar …');
  const stack = await againstStack(UPLOADS);

  const result = {
    inputs: inputs.length + UPLOADS + 50 + 2,
    mutants: MUTANTS,
    processed: count('processed'),
    rejected: count('rejected'),
    unexpected: count('unexpected'),
    crashes: count('crash'),
    hangs: count('hang'),
    peak_rss_mb: Math.max(peakChildRss, stack.worker_peak_rss_mb),
    pipeline_child_peak_rss_mb: peakChildRss,
    rejection_reasons: reasons,
    crafted: craftedOutcomes,
    billion_laughs_newsml: newsml,
    unexpected_examples: results
      .filter((r) => r.outcome !== 'processed' && r.outcome !== 'rejected')
      .slice(0, 20),
    ...stack,
    rss_limit_mb: RSS_LIMIT_MB,
  };
  const uploadsOk =
    (stack.concurrent_uploads.by_status['202'] ?? 0) + (stack.concurrent_uploads.by_status['200'] ?? 0) ===
    UPLOADS;
  const met =
    result.crashes === 0 &&
    result.hangs === 0 &&
    result.unexpected === 0 &&
    result.peak_rss_mb <= RSS_LIMIT_MB &&
    newsml === 'xml_dtd_forbidden' &&
    uploadsOk &&
    stack.concurrent_uploads.drained &&
    stack.slowloris.health_status_during === 200 &&
    stack.slowloris.closed_by_server === 50 &&
    stack.billion_laughs_sidecar.status === 422;
  await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(
    join(REPO_ROOT, 'bench', 'results', 'fuzz.json'),
    `${JSON.stringify({ ...result, met }, null, 2)}\n`,
  );
  say(JSON.stringify({ crafted: craftedOutcomes, ...stack }, null, 2));
  say(met ? 'MET: no crash, no hang, every input processed or rejected with a reason' : 'MISSED');
  process.exit(met ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
