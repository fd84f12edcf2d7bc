// The DNS lookup every hop of a fetch connects through: the SSRF guard's check of each resolved address, pinned.
import { isIP, type LookupFunction } from 'node:net';
import type { FailWith } from './http-body';
import { errorCode } from './http-failure';

export interface LookupSettings {
  resolve: (hostname: string) => Promise<string[]>;
  isAllowed: (ip: string) => boolean;
}

/**
 * The socket's DNS lookup: resolve, refuse the whole answer if any address breaks the policy, and hand the socket
 * exactly the checked addresses, so a rebinding resolver cannot swap in another between check and connect.
 */
export function checkedLookup(settings: LookupSettings, fail: FailWith): LookupFunction {
  const allowedAddresses = async (hostname: string, family: number): Promise<[string, ...string[]]> => {
    let resolved: string[];
    try {
      resolved = await settings.resolve(hostname);
    } catch (error) {
      throw fail('network', `could not resolve ${hostname} (${errorCode(error) ?? String(error)})`);
    }
    const refused = resolved.filter((address) => !settings.isAllowed(address));
    if (refused.length > 0) {
      throw fail('blocked-address', `${hostname} resolves to ${refused.join(', ')}, which is not a public address`);
    }
    const [first, ...rest] = family === 0 ? resolved : resolved.filter((address) => isIP(address) === family);
    if (first === undefined) throw fail('network', `${hostname} has no ${family ? `IPv${family} ` : ''}address`);
    return [first, ...rest];
  };
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    allowedAddresses(hostname, family).then(
      ([first, ...rest]) => {
        if (options.all)
          callback(
            null,
            [first, ...rest].map((address) => ({ address, family: isIP(address) })),
          );
        else callback(null, first, isIP(first));
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
