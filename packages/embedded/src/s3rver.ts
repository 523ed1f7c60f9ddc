import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Launcher, spawnTypeScript, stopChild } from './node-process.js';
import { findFreePort } from './ports.js';

export interface EmbeddedS3Options {
  dataDir: string;
  bucket: string;
  port?: number;
  /** The key pair requests must be signed with (`generateS3KeyPair` makes one). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Key prefixes in `bucket` anyone may read (e.g. `galleries/`, `renditions/`); default none. */
  publicReadPrefixes?: string[];
  /** Address to listen on (default 127.0.0.1); the endpoint names it too. */
  host?: string;
  /** Runs the server process through this command (e.g. in a network namespace). */
  launcher?: Launcher;
}

export interface EmbeddedS3 {
  endpoint: string;
  port: number;
  /** Every request but a public read must be signed (SigV4) with this key pair. */
  accessKeyId: string;
  secretAccessKey: string;
  process: ChildProcess;
  stop(): Promise<void>;
  kill(): void;
}

const entry = fileURLToPath(new URL('./s3rver-process.ts', import.meta.url));

/**
 * s3rver is a development dependency: the embedded S3 of `npm start` after a full `npm install`,
 * never shipped in a production image (`npm ci --omit=dev`), where S3_ENDPOINT names real storage.
 */
export function s3rverInstalled(): boolean {
  try {
    import.meta.resolve('s3rver');
    return true;
  } catch {
    return false;
  }
}

export const S3RVER_MISSING_HINT =
  'The embedded S3 server (s3rver) is a development dependency and is not installed here ' +
  '(an `npm ci --omit=dev` install). Run `npm install`, or set S3_ENDPOINT (+ keys) to your S3 storage.';

/**
 * Runs s3rver in its own process on loopback, over `dataDir`, behind a gate that verifies AWS
 * Signature Version 4 (`s3Gate`): unsigned or wrongly signed requests are refused, except reads of
 * `publicReadPrefixes`. s3rver itself has no listener of its own.
 */
export async function startS3rver(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  if (!s3rverInstalled()) throw new Error(S3RVER_MISSING_HINT);
  await mkdir(options.dataDir, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await findFreePort());
  const { credentials } = options;
  // Own process group: a Ctrl-C in the terminal reaches the supervisor only, which stops S3 last.
  const child = spawnTypeScript(
    entry,
    [String(port), options.dataDir, options.bucket, host],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        LIGHTBOX_EMBEDDED_S3_ACCESS_KEY_ID: credentials.accessKeyId,
        LIGHTBOX_EMBEDDED_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        LIGHTBOX_EMBEDDED_S3_PUBLIC_READ: (options.publicReadPrefixes ?? []).join(','),
      },
    },
    options.launcher,
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`s3rver did not start on port ${port} within 30 s:\n${output}`));
    }, 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with code ${code} before it was ready:\n${output}`));
    });
  });
  return {
    endpoint: `http://${host}:${port}`,
    port,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    process: child,
    kill: () => child.kill('SIGKILL'),
    stop: () => stopChild(child, 5_000),
  };
}

/** A fresh key pair for the embedded S3 (`lightbox start` keeps it in `credentials.json`; tests, benchmarks). */
export function generateS3KeyPair(): { accessKeyId: string; secretAccessKey: string } {
  return {
    accessKeyId: `LB${randomBytes(9).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
}
