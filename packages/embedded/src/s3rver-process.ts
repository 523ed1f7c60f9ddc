/**
 * Child-process entry that runs s3rver. Arguments: <port> <directory> <bucket>.
 * Prints `ready <port>` on stdout once it listens.
 */
import S3rver from 's3rver';

const [portArg, directory, bucket] = process.argv.slice(2);
if (!portArg || !directory || !bucket) {
  console.error('usage: s3rver-process <port> <directory> <bucket>');
  process.exit(2);
}

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

const server = new S3rver({
  port: Number(portArg),
  address: '127.0.0.1',
  directory,
  silent: true,
  // Downstream pages read galleries cross-origin: allow GET/HEAD from anywhere, as a CDN would.
  configureBuckets: [{ name: bucket, configs: [PUBLIC_READ_CORS] }],
});
const { port } = await server.run();
process.stdout.write(`ready ${port}\n`);

const stop = () => {
  server.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Started in its own process group: exit when the process that started us is gone.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1000).unref();
