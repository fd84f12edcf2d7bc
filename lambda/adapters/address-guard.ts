// Classifies IP addresses as publicly routable or not, so the Lambda fetcher can refuse SSRF targets (pure, no I/O).

/** An IPv4 range as a 32-bit network number and prefix length. */
type V4Range = readonly [network: number, prefix: number];

/**
 * IPv4 ranges that are not public unicast (IANA special-purpose registry): "this network", private, CGNAT, loopback,
 * link-local (the instance metadata address 169.254.169.254), IETF protocol, documentation, 6to4 relay, benchmarking,
 * multicast and reserved (which includes the broadcast address).
 */
const NON_PUBLIC_V4: readonly V4Range[] = [
  v4Range('0.0.0.0', 8),
  v4Range('10.0.0.0', 8),
  v4Range('100.64.0.0', 10),
  v4Range('127.0.0.0', 8),
  v4Range('169.254.0.0', 16),
  v4Range('172.16.0.0', 12),
  v4Range('192.0.0.0', 24),
  v4Range('192.0.2.0', 24),
  v4Range('192.88.99.0', 24),
  v4Range('192.168.0.0', 16),
  v4Range('198.18.0.0', 15),
  v4Range('198.51.100.0', 24),
  v4Range('203.0.113.0', 24),
  v4Range('224.0.0.0', 4),
  v4Range('240.0.0.0', 4),
];

function v4Range(network: string, prefix: number): V4Range {
  const parsed = parseIPv4(network);
  if (parsed === undefined) throw new Error(`bad range literal ${network}`);
  return [parsed, prefix];
}

/** Parses a dotted-quad IPv4 address (exactly four decimal octets) to an unsigned 32-bit number. */
function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function inV4Range(address: number, [network, prefix]: V4Range): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) === Math.floor(network / size);
}

function isPublicIPv4(address: number): boolean {
  return !NON_PUBLIC_V4.some((range) => inV4Range(address, range));
}

/**
 * Parses an IPv6 address (with `::` compression and an optional trailing dotted IPv4) into eight 16-bit groups.
 * A zone index (`%eth0`) is ignored: it picks an interface, not a different address.
 */
function parseIPv6(text: string): number[] | undefined {
  const address = text.split('%')[0] ?? '';
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (v4 === undefined) return undefined;
        groups.push(Math.floor(v4 / 0x10000), v4 % 0x10000);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        groups.push(Number.parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = toGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** The IPv4 address held in two 16-bit groups. */
function v4From(high: number, low: number): number {
  return high * 0x10000 + low;
}

function isPublicIPv6(groups: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::ffff:a.b.c.d reaches the IPv4 host itself, so it is exactly as public as that host.
  if (upperZero && g5 === 0xffff) return isPublicIPv4(v4From(g6, g7));
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that a gateway will connect to.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return isPublicIPv4(v4From(g6, g7));
  }
  if (g0 === 0x2002) return isPublicIPv4(v4From(g1, g2));
  // Only global unicast (2000::/3) is public; this rules out ::, ::1, IPv4-compatible ::/96, fc00::/7 (unique local),
  // fe80::/10 (link-local), fec0::/10 (site-local), ff00::/8 (multicast), 100::/64 (discard) and 64:ff9b:1::/48.
  if (g0 < 0x2000 || g0 > 0x3fff) return false;
  // Inside 2000::/3: IETF protocol assignments incl. Teredo (2001::/23), documentation (2001:db8::/32, 3fff::/20).
  if (g0 === 0x2001 && g1 < 0x200) return false;
  if (g0 === 0x2001 && g1 === 0xdb8) return false;
  if (g0 === 0x3fff && g1 < 0x1000) return false;
  return true;
}

/**
 * True when `ip` is a publicly routable unicast address that a server-side fetch may connect to. Anything else —
 * loopback, private, CGNAT, link-local, multicast, reserved, their IPv6 equivalents and IPv4 addresses embedded in IPv6
 * (mapped, NAT64, 6to4) that are not public — is false, and so is text that is not an IP address (fail closed).
 * Accepts IPv6 with or without brackets.
 */
export function isPublicAddress(ip: string): boolean {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return isPublicIPv4(v4);
  if (!text.includes(':')) return false;
  const groups = parseIPv6(text);
  return groups !== undefined && isPublicIPv6(groups);
}
