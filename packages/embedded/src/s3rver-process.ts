/**
 * Child-process entry that runs s3rver behind the SigV4 gate. Arguments: <port> <directory> <bucket>
 * [<host>] (default 127.0.0.1).
 * The key pair comes in LIGHTBOX_EMBEDDED_S3_ACCESS_KEY_ID / _SECRET_ACCESS_KEY (never on the
 * command line, which every local user can read), the public prefixes in
 * LIGHTBOX_EMBEDDED_S3_PUBLIC_READ (comma-separated). Prints `ready <port>` once it listens.
 */
import { createServer } from 'node:http';
import S3rver from 's3rver';
import { s3Gate } from './s3-gate.js';

const [portArg, directory, bucket, hostArg] = process.argv.slice(2);
const host = hostArg ?? '127.0.0.1';
const accessKeyId = process.env.LIGHTBOX_EMBEDDED_S3_ACCESS_KEY_ID;
const secretAccessKey = process.env.LIGHTBOX_EMBEDDED_S3_SECRET_ACCESS_KEY;
if (!portArg || !directory || !bucket || !accessKeyId || !secretAccessKey) {
  console.error('usage: s3rver-process <port> <directory> <bucket> (with the key pair in the environment)');
  process.exit(2);
}
const prefixes = (process.env.LIGHTBOX_EMBEDDED_S3_PUBLIC_READ ?? '').split(',').filter(Boolean);
for (const name of Object.keys(process.env))
  if (name.startsWith('LIGHTBOX_EMBEDDED_S3_')) delete process.env[name];

const PUBLIC_READ_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

// s3rver is used as a request handler only: it never listens itself, so nothing reaches it but
// through the gate (no second port on loopback).
const s3 = new S3rver({
  directory,
  silent: true,
  // Downstream pages read galleries cross-origin: allow GET/HEAD from anywhere, as a CDN would.
  configureBuckets: [{ name: bucket, configs: [PUBLIC_READ_CORS] }],
});
await s3.configureBuckets();
const port = Number(portArg);
const server = createServer(
  s3Gate(
    { credentials: { accessKeyId, secretAccessKey }, publicRead: { bucket, prefixes } },
    s3.callback(),
    () => `${host}:${port}`,
  ),
);
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, host, resolve);
});
process.stdout.write(`ready ${port}\n`);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Started in its own process group: exit when the process that started us is gone.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1000).unref();
