import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type FeedRulesFile, feedRulesFileSchema } from './schema.js';

/** A rules file that cannot be used; `message` names the file, the line and the field. */
export class FeedRulesError extends Error {
  override readonly name = 'FeedRulesError';
  constructor(
    message: string,
    readonly problems: { line: number; path: string; message: string }[],
  ) {
    super(message);
  }
}

/** The node a path leads to, or the deepest one that exists on the way (a missing key: its map). */
function nodeAt(doc: ReturnType<typeof parseDocument>, path: PropertyKey[]): Node | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (node && typeof node === 'object' && 'range' in (node as object)) return node as Node;
  }
  return doc.contents ?? undefined;
}

/** The key node of `key` in a map node, for "unknown field" problems. */
function keyNode(node: Node | undefined, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const item of node.items)
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key as Node;
  return undefined;
}

/** `feeds.ap.codes["\nyc"]`: plain segments dotted, others quoted. */
function pathOf(path: PropertyKey[]): string {
  return path
    .map((p, i) => {
      const s = String(p);
      if (/^[A-Za-z0-9_-]+$/.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join('');
}

function describe(issue: z.core.$ZodIssue): string {
  // A bad record key: the key's own problem says more than "Invalid key in record".
  const message =
    issue.code === 'invalid_key'
      ? issue.issues.map((i) => i.message).join('; ') || issue.message
      : issue.message;
  const path = pathOf(issue.path);
  return path ? `${path}: ${message}` : message;
}

/**
 * Parses and validates a per-feed rules file, YAML or JSON (JSON is YAML). Every problem is
 * reported with its line: `line 12: feeds.ap.expiry.expireAfterDays: Too small…`.
 */
export function parseFeedRules(text: string, source = 'feed rules'): FeedRulesFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      line: e.linePos?.[0].line ?? lineOf(e.pos[0]),
      path: '',
      message: e.message.split('\n')[0] as string,
    }));
    throw new FeedRulesError(
      `${source} is not valid YAML or JSON:\n${problems.map((p) => `  line ${p.line}: ${p.message}`).join('\n')}`,
      problems,
    );
  }
  const parsed = feedRulesFileSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    let node = nodeAt(doc, issue.path);
    if (issue.code === 'unrecognized_keys') node = keyNode(node, issue.keys[0] as string) ?? node;
    if (issue.code === 'invalid_key')
      node = keyNode(nodeAt(doc, issue.path.slice(0, -1)), String(issue.path.at(-1))) ?? node;
    return {
      line: lineOf(node?.range?.[0]),
      path: pathOf(issue.path),
      message: describe(issue),
    };
  });
  problems.sort((a, b) => a.line - b.line);
  throw new FeedRulesError(
    `Invalid ${source}:\n${problems.map((p) => `  line ${p.line}: ${p.message}`).join('\n')}`,
    problems,
  );
}
