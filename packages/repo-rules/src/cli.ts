/**
 * `npm run rules [-- deps | size [--all]]`: the dependency rules and the size limits, as `npm test`
 * checks them (packages/repo-rules/test/repository.test.ts). `size --all` lists every file and
 * function over the limits in the whole tree, enforced or not.
 */
import { fileURLToPath } from 'node:url';
import { KNOWN_BREACHES, PURE_PACKAGES } from './declared.js';
import { checkDependencies } from './rules.js';
import { scanWorkspace } from './scan.js';
import { oversized, SIZE_CHECKED, SIZE_LIMITS, SIZE_PENDING } from './sizes.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const [what = 'all', flag] = process.argv.slice(2);
let failed = false;

if (what === 'deps' || what === 'all') {
  const findings = checkDependencies({
    units: await scanWorkspace(root),
    pure: PURE_PACKAGES,
    known: KNOWN_BREACHES,
  });
  for (const k of KNOWN_BREACHES) console.log(`known: ${k.edge} — ${k.why}`);
  for (const f of findings) console.log(`${f.rule}: ${f.message}`);
  console.log(`dependency rules: ${findings.length === 0 ? 'kept' : `${findings.length} broken`}`);
  failed ||= findings.length > 0;
}
if (what === 'size' || what === 'all') {
  const all = flag === '--all';
  const findings = await oversized(root, SIZE_CHECKED, all ? [] : SIZE_PENDING);
  for (const f of findings) console.log(`${f.path}:${f.line} ${f.message}`);
  console.log(
    `size limits (${SIZE_LIMITS.fileLines} lines a file, ${SIZE_LIMITS.functionLines} a function) ${all ? 'in the whole tree' : `in the whole tree but ${SIZE_PENDING.length} pending`}: ${findings.length} over`,
  );
  failed ||= !all && findings.length > 0;
}
process.exitCode = failed ? 1 : 0;
