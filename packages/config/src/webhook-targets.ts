import { isIP } from 'node:net';

/**
 * Where webhooks may go (pure). Loopback, private, link-local, cloud-metadata and other special
 * ranges are refused unless a CIDR in `LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS` covers the address;
 * config checks literal addresses when it loads, the sender checks every address a name resolves to
 * at each delivery (so DNS cannot rebind a name to an internal address later).
 */

/** An address as a 128-bit number; IPv4 is mapped into `::ffff:0:0/96`. */
function toBigInt(ip: string): bigint | undefined {
  const family = isIP(ip);
  if (family === 4) {
    const v4 = ip.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
    return (0xffffn << 32n) | v4;
  }
  if (family !== 6) return undefined;
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = toBigInt(dotted[1] as string) as bigint;
    const low = v4 & 0xffffffffn;
    text = `${text.slice(0, -(dotted[1] as string).length)}${(low >> 16n).toString(16)}:${(low & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups =
    tail === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...tailGroups];
  return groups.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
}

interface Range {
  base: bigint;
  bits: number;
}

/** `10.0.0.0/8`, `fd00::/8`, `127.0.0.1` (a single address); undefined when it does not parse. */
export function parseCidr(cidr: string): Range | undefined {
  const [address = '', bits, ...rest] = cidr.trim().split('/');
  const base = toBigInt(address);
  if (base === undefined || rest.length > 0) return undefined;
  const v4 = isIP(address) === 4;
  const max = v4 ? 32 : 128;
  if (bits !== undefined && !/^\d+$/.test(bits)) return undefined;
  const n = bits === undefined ? max : Number(bits);
  if (n > max) return undefined;
  return { base, bits: v4 ? n + 96 : n };
}

function inRange(value: bigint, range: Range): boolean {
  const shift = BigInt(128 - range.bits);
  return value >> shift === range.base >> shift;
}

const ranges = (list: [string, string][]) =>
  list.map(([cidr, name]) => ({ range: parseCidr(cidr) as Range, name }));

/** Special ranges, most specific first (the metadata addresses sit inside wider ones). */
const SPECIAL = ranges([
  ['169.254.169.254/32', 'cloud metadata'],
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['100.100.100.200/32', 'cloud metadata'],
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared address space (carrier NAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['100::/64', 'discard'],
  ['2001::/23', 'IETF protocol assignments'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'unique local (private)'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
]);

/** IPv6 forms that carry an IPv4 address: IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`. */
function embeddedV4(value: bigint): bigint | undefined {
  const mapped = (v4: bigint) => (0xffffn << 32n) | v4;
  if (value >> 32n === 0n && value > 1n) return mapped(value & 0xffffffffn);
  if (value >> 32n === 0x64ff9bn << 64n) return mapped(value & 0xffffffffn);
  if (value >> 112n === 0x2002n) return mapped((value >> 80n) & 0xffffffffn);
  return undefined;
}

/** The special range an address is in (`loopback`, `private`, `cloud metadata`…), or undefined for public. */
export function specialRange(ip: string): string | undefined {
  const value = toBigInt(ip.replace(/^\[|\]$/g, ''));
  if (value === undefined) return 'not an address';
  const v4 = embeddedV4(value);
  const candidates = v4 === undefined ? [value] : [v4, value];
  for (const candidate of candidates)
    for (const { range, name } of SPECIAL) if (inRange(candidate, range)) return name;
  return undefined;
}

/** Why a webhook may not go to this address, or undefined when it may. */
export function addressProblem(ip: string, allowedNetworks: string[]): string | undefined {
  const range = specialRange(ip);
  if (range === undefined) return undefined;
  const value = toBigInt(ip.replace(/^\[|\]$/g, ''));
  const v4 = value === undefined ? undefined : embeddedV4(value);
  const allowed = allowedNetworks.some((cidr) => {
    const r = parseCidr(cidr);
    return !!r && value !== undefined && (inRange(value, r) || (v4 !== undefined && inRange(v4, r)));
  });
  return allowed
    ? undefined
    : `${ip} is a ${range} address; list its network in LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS to allow it`;
}

/** Why a subscriber URL is refused at configuration time (literal addresses and `localhost` names), or undefined. */
export function webhookUrlProblem(url: string, allowedNetworks: string[]): string | undefined {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return addressProblem(host, allowedNetworks);
  if (host === 'localhost' || host.endsWith('.localhost'))
    return (
      addressProblem('127.0.0.1', allowedNetworks) &&
      `${host} is a loopback name; list 127.0.0.0/8 in LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS to allow it`
    );
  return undefined;
}

/** True when `host` is one of the allowed hosts (`example.com`, or `*.example.com` for subdomains). */
export function hostAllowed(host: string, allowed: string[]): boolean {
  const h = host.toLowerCase();
  return allowed.some((a) => {
    const rule = a.toLowerCase();
    return rule.startsWith('*.') ? h.endsWith(rule.slice(1)) && h.length > rule.length - 1 : h === rule;
  });
}

/** Where webhooks may go: `LIGHTBOX_WEBHOOK_ALLOWED_HOSTS` and `LIGHTBOX_WEBHOOK_ALLOWED_NETWORKS`. */
export interface WebhookTargetRules {
  allowedHosts: string[];
  allowedNetworks: string[];
}

/**
 * Why a subscriber URL is refused, or undefined: the one check for subscribers from the
 * environment (at load) and from admins (at run time). Every delivery checks resolved addresses again.
 */
export function webhookTargetProblem(url: string, rules: WebhookTargetRules): string | undefined {
  const host = new URL(url).hostname;
  if (rules.allowedHosts.length > 0 && !hostAllowed(host, rules.allowedHosts))
    return `${host} is not in LIGHTBOX_WEBHOOK_ALLOWED_HOSTS (${rules.allowedHosts.join(', ')})`;
  return webhookUrlProblem(url, rules.allowedNetworks);
}
