/**
 * How environment values are read: blanks as unset, numbers with defaults and floors, token lists,
 * `feed=value` pairs and JSON settings (inline or from a file), and the error a bad one raises.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
export const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
export const intFrom = (def: number, min = 0) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).default(def));
export const numberFrom = (def: number) => z.preprocess(emptyToUndefined, z.coerce.number().default(def));

/** Parses a comma-separated token list (`LIGHTBOX_EDITOR_TOKENS`). */
export function parseTokenList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** `feed=value,feed2=value2` lists (hot folders, S3 inboxes). */
export function parsePairs(name: string, value: string | undefined): [string, string][] {
  if (!value) return [];
  return value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((pair) => {
      const idx = pair.indexOf('=');
      const feed = pair.slice(0, idx).trim();
      const rest = pair.slice(idx + 1).trim();
      if (idx <= 0 || !rest) throw new ConfigError(`${name} entry "${pair}" must be feed=value`);
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(feed))
        throw new ConfigError(`${name} feed name "${feed}" may only use letters, digits, _ . -`);
      return [feed, rest];
    });
}

/** A JSON setting given inline (`NAME`) or as a file (`NAME_FILE`), validated by `schema`. */
export function jsonSetting<T>(
  name: string,
  inline: string | undefined,
  file: string | undefined,
  schema: z.ZodType<T>,
): T | undefined {
  if (inline && file) throw new ConfigError(`Set ${name} or ${name}_FILE, not both`);
  let text = inline;
  const source = file ? `${name}_FILE (${file})` : name;
  if (file) text = readSettingFile(file, source);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${name}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`,
    );
    throw new ConfigError(`Invalid ${source}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** A setting's file, read whole; `source` names it in the error when it cannot be read. */
export function readSettingFile(file: string, source: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read ${source}: ${(err as Error).message}`);
  }
}
