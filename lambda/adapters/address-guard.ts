// Classifies IP addresses as publicly routable or not, so the Lambda fetcher can refuse SSRF targets (pure, no I/O).
import ipaddr from 'ipaddr.js';

/**
 * IPv4 ranges (ipaddr.js's names for the IANA special-purpose registry) a fetch may reach: plain unicast, and the
 * anycast services the registry marks globally reachable (AS112 DNS, AMT relays).
 */
const PUBLIC_V4_RANGES = new Set(['unicast', 'as112', 'amt']);
/** IPv6 global unicast: outside it nothing is public (IPv4-compatible ::/96, 4000::/2 and above are unassigned). */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
/** NAT64's well-known prefix: a gateway connects to the IPv4 address in its last 32 bits (64:ff9b:1::/48 is local). */
const NAT64_V6 = ipaddr.parseCIDR('64:ff9b::/96');

function isPublicIPv4(address: ipaddr.IPv4): boolean {
  return PUBLIC_V4_RANGES.has(address.range());
}

/** The IPv4 address held in two 16-bit groups of an IPv6 address. */
function v4In(address: ipaddr.IPv6, high: number): ipaddr.IPv4 {
  const [a = 0, b = 0] = [address.parts[high], address.parts[high + 1]];
  return new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]);
}

function isPublicIPv6(address: ipaddr.IPv6): boolean {
  const range = address.range();
  // These reach an IPv4 host (itself, or through a NAT64 or 6to4 gateway), so are exactly as public as that host.
  if (range === 'ipv4Mapped') return isPublicIPv4(address.toIPv4Address());
  if (address.match(NAT64_V6)) return isPublicIPv4(v4In(address, 6));
  if (range === '6to4') return isPublicIPv4(v4In(address, 1));
  // Every other named range (Teredo, documentation, ORCHID, unique local, link-local, ...) is refused.
  return range === 'unicast' && address.match(GLOBAL_UNICAST_V6);
}

/**
 * True when `ip` is a publicly routable unicast address that a server-side fetch may connect to. Anything else —
 * loopback, private, CGNAT, link-local, multicast, reserved, their IPv6 equivalents and IPv4 addresses embedded in IPv6
 * (mapped, NAT64, 6to4) that are not public — is false, and so is text that is not an IP address (fail closed).
 * Accepts IPv6 with or without brackets, and with a zone index (`%eth0`, which picks an interface, not an address).
 */
export function isPublicAddress(ip: string): boolean {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  // Four decimal parts only: a resolver never returns 127.1, 0x7f.0.0.1 or 017.0.0.1, which some parsers expand.
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return isPublicIPv4(ipaddr.IPv4.parse(text));
  if (!ipaddr.IPv6.isValid(text)) return false;
  // A trailing dotted IPv4 (::ffff:1.2.3.4) is held to the same four decimal parts, without leading zeros.
  const dotted = /[^:]*\.[^:%]*(?=%|$)/.exec(text)?.[0];
  if (dotted !== undefined && !ipaddr.IPv4.isValidFourPartDecimal(dotted)) return false;
  return isPublicIPv6(ipaddr.IPv6.parse(text));
}
