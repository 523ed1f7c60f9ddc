import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkDependencies,
  KNOWN_BREACHES,
  oversized,
  PURE_PACKAGES,
  SIZE_CHECKED,
  SIZE_PENDING,
  scanWorkspace,
} from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The rules applied to this repository: `npm test` fails when a change breaks them. */
describe('this repository', () => {
  it('keeps the dependency rules: no package imports a service, no service another, pure stays pure, no cycles', async () => {
    const units = await scanWorkspace(ROOT);
    expect(units.map((u) => u.name)).toEqual(expect.arrayContaining(['catalog', 'desk', 'api', 'worker']));
    expect(checkDependencies({ units, pure: PURE_PACKAGES, known: KNOWN_BREACHES })).toEqual([]);
  });

  it('keeps the size limits in the whole tree but the files pending a split (400 lines a file, 120 a function)', async () => {
    expect(await oversized(ROOT, SIZE_CHECKED, SIZE_PENDING)).toEqual([]);
  });
});
