import { posix } from 'node:path';

const { extname } = posix;

/**
 * How a NewsML-G2 sidecar finds its picture: the same basename, case-insensitive, with `.xml`
 * (`AP123.jpg` + `AP123.XML`). The hot folder, the S3 inbox and `lightbox ingest` all pair files by this rule.
 */
export const isSidecarName = (name: string) => extname(name).toLowerCase() === '.xml';

/** The pairing key: the name without its extension, lower-cased. */
export const sidecarStem = (name: string) => name.slice(0, name.length - extname(name).length).toLowerCase();
