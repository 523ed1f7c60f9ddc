import { describe, expect, it } from 'vitest';
import { checkDependencies, cycles, importsOf, resolveRelative, type Unit } from '../src/index.js';

const unit = (name: string, kind: Unit['kind'], imports: [string, string, boolean?][] = []): Unit => ({
  name,
  npmName: `@lightbox/${name}`,
  kind,
  imports: imports.map(([file, specifier, typeOnly = false]) => ({ file, specifier, typeOnly })),
});
const rules = (units: Unit[], pure: string[] = []) => checkDependencies({ units, pure }).map((f) => f.rule);

describe('dependency rules', () => {
  it('refuses a package importing a service, and a service importing another', () => {
    expect(
      rules([unit('catalog', 'package', [['src/a.ts', '@lightbox/api']]), unit('api', 'service')]),
    ).toEqual(['package-imports-service']);
    expect(
      rules([
        unit('cli', 'service', [['src/a.ts', '@lightbox/ingest/sidecar-names']]),
        unit('ingest', 'service'),
      ]),
    ).toEqual(['service-imports-service']);
    expect(
      rules([unit('api', 'service', [['src/a.ts', '@lightbox/catalog']]), unit('catalog', 'package')]),
    ).toEqual([]);
  });

  it('refuses a pure package importing an I/O package, library or built-in; types and compute are fine', () => {
    const units = [
      unit('matching', 'package', [
        ['src/a.ts', '@lightbox/contracts'],
        ['src/a.ts', 'node:crypto'],
        ['src/b.ts', '@lightbox/catalog', true],
      ]),
      unit('contracts', 'package'),
      unit('catalog', 'package'),
    ];
    expect(rules(units, ['matching', 'contracts'])).toEqual([]);
    for (const io of [
      '@lightbox/catalog',
      'ioredis',
      'node:fs',
      'node:fs/promises',
      '@aws-sdk/client-s3',
      'sharp',
    ])
      expect([
        io,
        rules([unit('matching', 'package', [['src/a.ts', io]]), unit('catalog', 'package')], ['matching']),
      ]).toEqual([io, ['pure-imports-io']]);
  });

  it('excuses only the known breaches it is told of', () => {
    const units = [
      unit('gallery', 'package', [['src/p.ts', '@lightbox/storage']]),
      unit('storage', 'package'),
    ];
    expect(rules(units, ['gallery'])).toEqual(['pure-imports-io']);
    expect(
      checkDependencies({ units, pure: ['gallery'], known: [{ edge: 'gallery -> storage', why: 'x' }] }),
    ).toEqual([]);
  });

  it('finds cycles between units, and between files at run time (type-only imports are erased)', () => {
    expect(
      rules([
        unit('a', 'package', [['src/x.ts', '@lightbox/b']]),
        unit('b', 'package', [['src/y.ts', '@lightbox/a', true]]),
      ]),
    ).toEqual(['package-cycle']);
    const files = (typeOnly: boolean) =>
      rules([
        unit('worker', 'service', [
          ['src/deps.ts', './render.js', typeOnly],
          ['src/render.ts', './reject.js'],
          ['src/reject.ts', './deps.js'],
        ]),
      ]);
    expect(files(false)).toEqual(['file-cycle']);
    expect(files(true)).toEqual([]);
  });

  it('finds strongly connected components', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });
});

describe('reading imports', () => {
  it('reads static, re-export, side-effect and dynamic imports, marking type-only ones', () => {
    const source = [
      "import { readFile } from 'node:fs/promises';",
      "import type { Photo } from '@lightbox/contracts';",
      "import { type A, type B } from './types.js';",
      "import C, { type D } from './mixed.js';",
      "import {\n  x,\n  type Y,\n} from './multi.js';",
      "export * from './all.js';",
      "export type { Z } from './z.js';",
      "import './side-effect.js';",
      "const m = await import('./lazy.js');",
      "export const s = 'not an import';",
    ].join('\n');
    expect(importsOf('src/f.ts', source).map((e) => [e.specifier, e.typeOnly])).toEqual([
      ['node:fs/promises', false],
      ['@lightbox/contracts', true],
      ['./types.js', true],
      ['./mixed.js', false],
      ['./multi.js', false],
      ['./all.js', false],
      ['./z.js', true],
      ['./side-effect.js', false],
      ['./lazy.js', false],
    ]);
  });

  it('resolves relative specifiers to TypeScript sources', () => {
    expect(resolveRelative('src/stages/a.ts', '../deps.js')).toBe('src/deps.ts');
    expect(resolveRelative('src/a.ts', './b/c.js')).toBe('src/b/c.ts');
  });
});
