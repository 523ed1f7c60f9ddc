/**
 * Several network hosts on one machine (root only): each host is a network namespace with one
 * interface (`eth0`, 10.x.y.N/24) on a bridge that lives in a namespace of its own, so the machine's
 * own network and firewall are never touched; the machine itself joins the bridge through one veth
 * (`<prefix>-root`) to reach the hosts. A host can be cut off from others (iptables inside its
 * namespace, or its link down when iptables is missing) and healed.
 */
import { execFileSync } from 'node:child_process';

export interface Host {
  name: string;
  /** Its network namespace. */
  ns: string;
  ip: string;
  /** Runs a command inside the host (`spawnCommand`/`spawnTypeScript` launcher). */
  launcher: string[];
}

export interface Network<Name extends string> {
  hosts: Record<Name, Host>;
  /** The machine's own address on the bridge. */
  gateway: string;
  /** Drops every packet `host` receives from `from` (a partition), until `heal`. */
  partition(host: Host, from: string[]): 'iptables' | 'link down';
  heal(host: Host): void;
  destroy(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const quietly = (fn: () => unknown) => {
  try {
    fn();
  } catch {
    // already gone
  }
};

/**
 * Whether network namespaces can be used here: `skip` without root (or off Linux), `fail` when root
 * cannot make them (no iproute2, a container without the privilege); undefined when they can.
 */
export function namespacesUnavailable(): { skip: boolean; why: string } | undefined {
  if (process.platform !== 'linux') return { skip: true, why: 'network namespaces need Linux' };
  if (process.getuid?.() !== 0)
    return { skip: true, why: 'network namespaces need root (run as root, as CI does)' };
  const probe = `lbprobe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
  } catch (err) {
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
    return {
      skip: false,
      why: /ENOENT/.test(detail)
        ? 'the `ip` command is missing: apt-get install -y iproute2'
        : `cannot create a network namespace (${detail})`,
    };
  }
  return undefined;
}

export function iptablesAvailable(): boolean {
  try {
    execFileSync('iptables', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Removes namespaces and the root veth a run of this prefix left behind (a killed run). */
export function removeStaleNetwork(prefix: string): void {
  for (const line of ip('netns', 'list').split('\n')) {
    const ns = line.split(' ')[0];
    if (ns?.startsWith(`${prefix}-`)) quietly(() => ip('netns', 'del', ns));
  }
  quietly(() => ip('link', 'del', `${prefix}-root`));
}

/**
 * Creates the hosts on `subnet` (three octets, e.g. `10.77.0`): host i gets `.octet`; the machine
 * gets `.1`.
 */
export function createNetwork<Name extends string>(
  prefix: string,
  subnet: string,
  hosts: Record<Name, number>,
): Network<Name> {
  removeStaleNetwork(prefix);
  const sw = `${prefix}-net`;
  const created: string[] = [];
  const destroy = () => {
    for (const ns of created.reverse()) quietly(() => ip('netns', 'del', ns));
    quietly(() => ip('link', 'del', `${prefix}-root`));
  };
  try {
    ip('netns', 'add', sw);
    created.push(sw);
    ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', sw, 'link', 'set', 'br0', 'up');
    const plug = (port: string) => {
      ip('-n', sw, 'link', 'set', port, 'master', 'br0');
      ip('-n', sw, 'link', 'set', port, 'up');
    };
    // The machine itself.
    ip('link', 'add', 'name', `${prefix}-root`, 'type', 'veth', 'peer', 'name', 'p0', 'netns', sw);
    ip('addr', 'add', `${subnet}.1/24`, 'dev', `${prefix}-root`);
    ip('link', 'set', `${prefix}-root`, 'up');
    plug('p0');
    const out = {} as Record<Name, Host>;
    let port = 0;
    for (const [name, octet] of Object.entries(hosts) as [Name, number][]) {
      const ns = `${prefix}-${name}`;
      ip('netns', 'add', ns);
      created.push(ns);
      const p = `p${++port}`;
      ip('link', 'add', 'name', p, 'netns', sw, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      plug(p);
      ip('-n', ns, 'addr', 'add', `${subnet}.${octet}/24`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      out[name] = { name, ns, ip: `${subnet}.${octet}`, launcher: ['ip', 'netns', 'exec', ns] };
    }
    const useIptables = iptablesAvailable();
    return {
      hosts: out,
      gateway: `${subnet}.1`,
      partition(host, from) {
        if (!useIptables) {
          ip('-n', host.ns, 'link', 'set', 'eth0', 'down');
          return 'link down';
        }
        for (const address of from)
          execFileSync('ip', [
            'netns',
            'exec',
            host.ns,
            'iptables',
            '-I',
            'INPUT',
            '-s',
            address,
            '-j',
            'DROP',
          ]);
        return 'iptables';
      },
      heal(host) {
        if (!useIptables) ip('-n', host.ns, 'link', 'set', 'eth0', 'up');
        else execFileSync('ip', ['netns', 'exec', host.ns, 'iptables', '-F', 'INPUT']);
      },
      destroy,
    };
  } catch (err) {
    destroy();
    throw err;
  }
}
