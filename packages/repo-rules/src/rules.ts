import { IO_BUILTINS, IO_LIBRARIES, type KnownBreach } from './declared.js';

/** One import as written: which file, what it names, and whether it is erased (type-only). */
export interface ImportEdge {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

/** A workspace unit: `packages/x` (a package) or `services/x` (a service), and its source files' imports. */
export interface Unit {
  /** Folder name, e.g. `catalog`. */
  name: string;
  /** npm name, e.g. `@lightbox/catalog`. */
  npmName: string;
  kind: 'package' | 'service';
  imports: ImportEdge[];
}

export interface Finding {
  rule:
    | 'package-imports-service'
    | 'service-imports-service'
    | 'pure-imports-io'
    | 'package-cycle'
    | 'file-cycle';
  message: string;
}

export interface RuleInput {
  units: Unit[];
  pure: readonly string[];
  known?: KnownBreach[];
}

const builtinName = (specifier: string) => specifier.replace(/^node:/, '');
const isBuiltin = (specifier: string) => specifier.startsWith('node:');

/** The workspace unit an import names (by npm name, or `@scope/name/sub`), if any. */
function target(units: Map<string, Unit>, specifier: string): Unit | undefined {
  const [scope, name] = specifier.split('/');
  return units.get(specifier.startsWith('@') ? `${scope}/${name}` : (scope as string));
}

/** Strongly connected components with more than one member (Tarjan). */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/** Every breach of the dependency rules (pure): layering, purity, and cycles between or inside units. */
export function checkDependencies({ units, pure, known = [] }: RuleInput): Finding[] {
  const byNpm = new Map(units.map((u) => [u.npmName, u]));
  const excused = new Set(known.map((k) => k.edge));
  const findings: Finding[] = [];
  const unitGraph = new Map<string, Set<string>>();
  for (const unit of units) {
    const edges = new Set<string>();
    unitGraph.set(unit.name, edges);
    for (const edge of unit.imports) {
      const to = target(byNpm, edge.specifier);
      if (to && to !== unit) edges.add(to.name);
      const where = `${unit.kind}s/${unit.name} (${edge.file}) imports ${edge.specifier}`;
      if (to && to !== unit && to.kind === 'service') {
        findings.push(
          unit.kind === 'package'
            ? { rule: 'package-imports-service', message: `${where}: a package never imports a service` }
            : { rule: 'service-imports-service', message: `${where}: services share code through packages` },
        );
      }
      if (!pure.includes(unit.name) || edge.typeOnly) continue;
      const io = to
        ? to !== unit && !pure.includes(to.name)
        : isBuiltin(edge.specifier)
          ? IO_BUILTINS.includes(builtinName(edge.specifier))
          : IO_LIBRARIES.some((pattern) => pattern.test(edge.specifier));
      if (io && !excused.has(`${unit.name} -> ${to?.name ?? edge.specifier}`))
        findings.push({ rule: 'pure-imports-io', message: `${where}: ${unit.name} is declared pure` });
    }
  }
  for (const cycle of cycles(unitGraph))
    findings.push({
      rule: 'package-cycle',
      message: `units import each other in a circle: ${cycle.join(', ')}`,
    });
  for (const unit of units) {
    const files = new Map<string, Set<string>>();
    for (const edge of unit.imports) {
      if (!edge.specifier.startsWith('.')) continue;
      if (!files.has(edge.file)) files.set(edge.file, new Set());
      if (!edge.typeOnly) files.get(edge.file)?.add(resolveRelative(edge.file, edge.specifier));
    }
    for (const cycle of cycles(files))
      findings.push({
        rule: 'file-cycle',
        message: `${unit.kind}s/${unit.name}: files import each other in a circle: ${cycle.join(', ')}`,
      });
  }
  return findings;
}

/** `src/a/b.ts` + `../c.js` → `src/c.ts` (the TypeScript source a `.js` specifier names). */
export function resolveRelative(from: string, specifier: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/').replace(/\.js$/, '.ts');
}

/** The imports of one TypeScript source (static, re-exports and dynamic), type-only ones marked. */
export function importsOf(file: string, source: string): ImportEdge[] {
  const found: ImportEdge[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(statement)) {
    const clause = m[0];
    // `import { type A, type B } from` is erased too when every name is a type.
    const names = clause.match(/\{([^}]*)\}/)?.[1];
    const allTypes = !!names
      ?.split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .every((n) => n.startsWith('type '));
    const outsideBraces = clause
      .replace(/\{[^}]*\}/, '')
      .replace(/\s+from\s+['"][^'"]+['"]/, '')
      .replace(/^\s*(import|export)\b/, '')
      .replace(/[,\s]/g, '');
    const defaultOrStar = outsideBraces !== '';
    found.push({ file, specifier: m[3] as string, typeOnly: !!m[2] || (allTypes && !defaultOrStar) });
  }
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    found.push({ file, specifier: m[1] as string, typeOnly: false });
  return found;
}
