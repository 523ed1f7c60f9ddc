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

const server = new S3rver({
  port: Number(portArg),
  address: '127.0.0.1',
  directory,
  silent: true,
  configureBuckets: [{ name: bucket, configs: [] }],
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
