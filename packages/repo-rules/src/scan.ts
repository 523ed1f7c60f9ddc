import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { importsOf, type Unit } from './rules.js';

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The workspace's packages and services as read from disk: names and the imports of their `src/`. */
export async function scanWorkspace(root: string): Promise<Unit[]> {
  const units: Unit[] = [];
  for (const kind of ['package', 'service'] as const) {
    const base = join(root, `${kind}s`);
    for (const entry of await readdir(base, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(base, entry.name);
      const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
      if (!manifest) continue;
      const imports = [];
      for (const file of await sourceFiles(join(dir, 'src')))
        imports.push(...importsOf(relative(dir, file), await readFile(file, 'utf8')));
      units.push({ name: entry.name, npmName: JSON.parse(manifest).name, kind, imports });
    }
  }
  return units;
}
