import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The size limits: a source file's lines, and a function's. */
export const SIZE_LIMITS = { fileLines: 400, functionLines: 120 } as const;

/** Where the limits are enforced (`npm test` fails): the whole tree. */
export const SIZE_CHECKED = ['packages', 'services', 'bench', 'scripts', 'infra'];

/**
 * Files still over the limits while another branch splits them: reported by
 * `npm run rules -- size --all`, not yet enforced. Remove each as its split lands, then this list.
 */
export const SIZE_PENDING: string[] = [];

/** Never measured: generated code, templates (HTML views), vendored files. */
export const SIZE_EXEMPT = ['!**/views', '!infra/k8s/generated', '!examples/gallery-page/vendor'];

export interface SizeFinding {
  path: string;
  line: number;
  message: string;
}

/**
 * Files and functions over the limits under `paths`, measured by Biome's own rules
 * (`noExcessiveLinesPerFile`, `noExcessiveLinesPerFunction`) with a configuration of their own;
 * files in `pending` are left out.
 */
export async function oversized(
  root: string,
  paths: string[],
  pending: readonly string[] = [],
): Promise<SizeFinding[]> {
  const dir = await mkdtemp(join(tmpdir(), 'lightbox-size-'));
  try {
    await writeFile(
      join(dir, 'biome.json'),
      JSON.stringify({
        vcs: { enabled: false },
        files: { includes: ['**/*.ts', '!**/node_modules', '!**/test', '!**/*.d.ts', ...SIZE_EXEMPT] },
        formatter: { enabled: false },
        assist: { enabled: false },
        linter: {
          enabled: true,
          rules: {
            recommended: false,
            style: {
              noExcessiveLinesPerFile: { level: 'error', options: { maxLines: SIZE_LIMITS.fileLines } },
            },
            complexity: {
              noExcessiveLinesPerFunction: {
                level: 'error',
                options: { maxLines: SIZE_LIMITS.functionLines, skipBlankLines: true },
              },
            },
          },
        },
      }),
    );
    const biome = join(root, 'node_modules/.bin/biome');
    const args = ['lint', `--config-path=${dir}`, '--reporter=json', '--max-diagnostics=none', ...paths];
    const { stdout } = await promisify(execFile)(biome, args, {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout || '{"diagnostics":[]}') as {
      diagnostics: {
        category: string;
        message: string;
        location: { path: string; start: { line: number } };
      }[];
    };
    // Only the two limits (and files it could not read); not other rules' suppression comments.
    return report.diagnostics
      .filter((d) => !d.category.startsWith('suppressions/') && !pending.includes(d.location.path))
      .map((d) => ({
        path: d.location.path,
        line: d.location.start.line,
        message: d.message,
      }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
