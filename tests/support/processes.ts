import { readdir, readFile, readlink } from 'node:fs/promises';

/** Every process below `root` (children, grandchildren…), from /proc. */
export async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: the command may contain spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of parents)
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
  }
  return found;
}

export { processAlive as alive } from '@lightbox/embedded';

export interface Listener {
  pid: number;
  address: string;
  port: number;
}

/** `0100007F` → `127.0.0.1`; 32 hex digits (four little-endian words) → a full IPv6 address. */
function decodeAddress(hex: string): string {
  if (hex.length === 8)
    return [3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  const bytes: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let i = 3; i >= 0; i--) bytes.push(word.slice(i * 2, i * 2 + 2));
  }
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number.parseInt(bytes.slice(i * 2, i * 2 + 2).join(''), 16).toString(16),
  );
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/**
 * The TCP sockets the given processes listen on, from /proc/net/tcp{,6} (state 0A = LISTEN) and the
 * socket inodes in each process's file descriptors: what `ss -ltnp` shows.
 */
export async function listeningSockets(pids: number[]): Promise<Listener[]> {
  const owner = new Map<string, number>();
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m) owner.set(m[1] as string, pid);
    }
  }
  const listeners: Listener[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      const pid = owner.get(cols[9] as string);
      if (pid === undefined) continue;
      const [hexAddress = '', hexPort = '0'] = (cols[1] as string).split(':');
      listeners.push({ pid, address: decodeAddress(hexAddress), port: Number.parseInt(hexPort, 16) });
    }
  }
  return listeners;
}

/** Wildcard addresses: listening there means every interface. */
export const isWildcard = (address: string) => address === '0.0.0.0' || address === '::';
