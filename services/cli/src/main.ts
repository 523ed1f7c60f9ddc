import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@lightbox/config';
import { describeRedisEndpoint } from '@lightbox/redis/endpoint';
import { LightboxApiClient, resolveApiTarget } from './api-client.js';
import { bannerLines } from './banner.js';
import { runDemo } from './commands/demo.js';
import { collectFiles, formatProgress, formatSummary, INGEST_USAGE, ingestFiles } from './commands/ingest.js';
import { printStatus } from './commands/status.js';
import { listStories, STORIES_ADD_USAGE, storyFromArgs } from './commands/stories.js';
import { ensureRedisServer } from './setup.js';
import type { RunningStack } from './stack.js';

const USAGE = `Usage:
  lightbox start [--workers N]     run Lightbox on this machine (embedded Redis and S3 unless configured)
  lightbox demo [--exit]           start, then ingest the demo wire set and print the gallery URL
  lightbox ingest [--live] <files|dirs>  push photos to a running Lightbox over HTTP (as bulk work)
  ${STORIES_ADD_USAGE.split('\n').join('\n  ')}
  lightbox stories list
  lightbox stories close <storyId> close a story: its gallery becomes final
  lightbox photos assign <photoId> <storyId> | unassign <photoId>
  lightbox stop                    stop the Lightbox started on this data directory (LIGHTBOX_DATA_DIR)
  lightbox status                  queue counts per stage
  lightbox reconcile [--everything] put back what Redis lost, from object storage
  lightbox setup                   install what the embedded default needs (redis-server)
  lightbox help [command]          this text, or one command's (also: lightbox <command> --help)
  lightbox --version               Lightbox's version and the Node it runs on`;

/** Each command's own usage, for `lightbox <command> --help` and `lightbox help <command>`. */
const COMMAND_USAGE: Record<string, string> = {
  start: `Usage: lightbox start [--workers N] [--quiet]
  Runs the API, N worker processes (default 1) and the hot-folder watcher on this machine, with an
  embedded redis-server and s3rver unless REDIS_URL and S3_ENDPOINT are set. Ctrl-C or
  \`lightbox stop\` stops it.`,
  demo: `Usage: lightbox demo [--exit] [--workers N] [--quiet]
  Starts Lightbox, registers the demo story, pushes demo/wire/ and prints the gallery URL;
  --exit stops afterwards.`,
  ingest: INGEST_USAGE,
  stories: `Usage:\n  ${STORIES_ADD_USAGE.split('\n').join('\n  ')}\n  lightbox stories list\n  lightbox stories close <storyId>`,
  photos: 'Usage:\n  lightbox photos assign <photoId> <storyId>\n  lightbox photos unassign <photoId>',
  status: `Usage: lightbox status
  Queue counts per stage, photos received/published/failed per minute (1, 5, 15 min), latency and
  backlog of a running Lightbox (LIGHTBOX_URL).`,
  stop: `Usage: lightbox stop
  Stops the Lightbox started on this data directory (LIGHTBOX_DATA_DIR): signals the supervisor named
  in lightbox.pid there and waits until every process it started has stopped.`,
  reconcile: `Usage: lightbox reconcile [--everything] [--grace-seconds N]
  Compares object storage with Redis and puts back what Redis lost: stories from their copies
  (stories/), accepted transmissions Redis does not know (acceptances/, replayed in arrival order,
  each exactly once), jobs that were lost. By default the acceptances of the last day; --everything
  reads all of them (after Redis lost its data). Talks to Redis and S3 directly: needs REDIS_URL (or
  REDIS_SENTINELS and REDIS_SENTINEL_NAME) and S3_ENDPOINT with its keys. A running Lightbox also
  reconciles by itself (docs/operations.md).`,
  setup: `Usage: lightbox setup
  Installs what the embedded default needs (Debian's redis-server, when run as root).`,
};

/** The release (root package.json) and the Node running it. */
function version(): string {
  const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  return `lightbox ${root.version} (Node ${process.version})`;
}

const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

const say = (line: string) => process.stdout.write(`${line}\n`);

function printBanner(stack: RunningStack, dataDir: string) {
  const lines = bannerLines(
    {
      apiUrl: stack.apiUrl,
      feedKey: stack.feedKey,
      editorToken: stack.editorToken,
      adminToken: stack.adminToken,
      dataDir,
      credentialsPath: stack.credentialsPath,
      objectStorage: `${stack.env.S3_ENDPOINT}/${stack.env.S3_BUCKET ?? 'lightbox'}`,
      redis: describeRedisEndpoint(loadConfig(stack.env).redis ?? ''),
      metrics: [`${stack.apiUrl}/metrics`, ...stack.workerMetrics],
      node: `${process.version} (${process.execPath}), every process`,
    },
    { terminal: process.stdout.isTTY === true },
  );
  for (const line of lines) say(line);
}

/**
 * Stops the stack on SIGINT, SIGTERM or SIGHUP (terminal closed); a second signal exits at once.
 * Under `npm start` it also stops when npm goes away: npm 11 does not pass SIGTERM on to the
 * script, it exits and leaves it behind.
 */
function stopOnSignal(stack: RunningStack) {
  let stopping = false;
  const onSignal = (reason: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    say(`${reason}: stopping Lightbox (finishing active jobs) …`);
    stack.stop().then(
      () => {
        say('Stopped.');
        process.exit(0);
      },
      (err) => {
        say(`Stop failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) onSignal('npm exited');
    }, 1000).unref();
  }
}

/** `lightbox ingest <paths…> [--live]`: bulk imports (`--live`: as live wire photos). */
async function ingestCommand(config: ReturnType<typeof loadConfig>, rest: string[]): Promise<number> {
  const paths = rest.filter((a) => a !== '--live');
  if (paths.length === 0) {
    say(INGEST_USAGE);
    return 2;
  }
  const client = new LightboxApiClient(await resolveApiTarget(config));
  const files = await collectFiles(paths);
  // A live progress bar on a terminal; one line per file when piped or logged.
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  const summary = await ingestFiles(
    client,
    files,
    say,
    4,
    tty
      ? (done, total) => process.stderr.write(`\r${formatProgress(done, total, Date.now() - started)}`)
      : undefined,
    !rest.includes('--live'),
  );
  if (tty) process.stderr.write('\n');
  for (const line of tty ? formatSummary(summary) : formatSummary(summary).slice(-1)) say(line);
  return summary.failed > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    say(version());
    return 0;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic && !COMMAND_USAGE[topic]) {
      say(`lightbox: no command "${topic}"\n${USAGE}`);
      return 2;
    }
    say(topic ? (COMMAND_USAGE[topic] as string) : USAGE);
    return 0;
  }
  if (COMMAND_USAGE[command] && wantsHelp(rest)) {
    say(COMMAND_USAGE[command] as string);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
    case 'demo': {
      const { values } = parseArgs({
        args: rest,
        options: { workers: { type: 'string' }, exit: { type: 'boolean' }, quiet: { type: 'boolean' } },
      });
      const workers = values.workers ? Number(values.workers) : 1;
      if (!Number.isInteger(workers) || workers < 1 || workers > availableParallelism() * 4) {
        say(`--workers must be a whole number from 1 to ${availableParallelism() * 4}`);
        return 2;
      }
      // Loaded here: the supervisor pulls in S3, queues and the embedded servers, which the
      // client commands (and --help) do without.
      const { startStack } = await import('./stack.js');
      // A closed terminal or log pipe must not crash the supervisor halfway through stopping.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
      const stack = await startStack({
        config,
        workers,
        say,
        serviceOutput: values.quiet ? 'ignore' : 'inherit',
      });
      stopOnSignal(stack);
      printBanner(stack, config.dataDir);
      if (command === 'demo') {
        const client = new LightboxApiClient({
          url: stack.apiUrl,
          feedKey: stack.feedKey.key,
          editorToken: stack.editorToken,
        });
        const { storyId, photos } = await runDemo(client, say);
        say('');
        say(`Demo gallery (${photos} photos): ${stack.apiUrl}/v1/galleries/${storyId}`);
        say(`Stored at:  ${stack.env.S3_ENDPOINT}/${config.s3.bucket}/galleries/${storyId}/gallery.json`);
        if (values.exit) {
          await stack.stop();
          return 0;
        }
      }
      return new Promise<number>(() => {}); // run until a signal
    }
    case 'ingest':
      return ingestCommand(config, rest);
    case 'stories': {
      const client = new LightboxApiClient(await resolveApiTarget(config));
      const [sub, ...args] = rest;
      if (sub === 'add') {
        const { body } = await client.createStory(await storyFromArgs(args));
        say(`Created story ${body.id} (${body.slug})`);
        return 0;
      }
      if (sub === 'list') {
        await listStories(client, say);
        return 0;
      }
      if (sub === 'close' && args[0]) {
        const { body } = await client.closeStory(args[0]);
        say(`Closed story ${body.id} (${body.slug}): its gallery is final`);
        return 0;
      }
      say(COMMAND_USAGE.stories as string);
      return 2;
    }
    case 'photos': {
      const client = new LightboxApiClient(await resolveApiTarget(config));
      const [sub, photoId, storyId] = rest;
      if (sub === 'assign' && photoId && storyId) {
        const { body } = await client.assignPhoto(photoId, storyId);
        say(`Photo ${body.photoId} is in story ${body.storyId} (editor's decision)`);
        return 0;
      }
      if (sub === 'unassign' && photoId) {
        const { body } = await client.unassignPhoto(photoId);
        say(`Photo ${body.photoId} is in no story (editor's decision)`);
        return 0;
      }
      say(COMMAND_USAGE.photos as string);
      return 2;
    }
    case 'status': {
      await printStatus(new LightboxApiClient(await resolveApiTarget(config)), say);
      return 0;
    }
    case 'stop': {
      const { stopSupervisor } = await import('./pid-file.js');
      return stopSupervisor(config.dataDir, say);
    }
    case 'reconcile': {
      const { values } = parseArgs({
        args: rest,
        options: { everything: { type: 'boolean' }, 'grace-seconds': { type: 'string' } },
      });
      const { runReconcile } = await import('./commands/reconcile.js');
      return runReconcile(config, {
        everything: values.everything === true,
        graceMs:
          values['grace-seconds'] !== undefined
            ? Number(values['grace-seconds']) * 1000
            : config.reconcile.graceMs,
        say,
      });
    }
    case 'setup': {
      say(`redis-server: ${ensureRedisServer(say)}`);
      return 0;
    }
    default:
      say(`lightbox: no command "${command}"\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError) say(err.message);
  else say(`lightbox: ${(err as Error).message}`);
  process.exitCode = 1;
}
