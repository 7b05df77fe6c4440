/**
 * The address a request came from, for rate limits and the audit trail. X-Forwarded-For is a list each proxy
 * appends to (client, proxy1, proxy2…); only entries added by proxies we trust (PLINTH_TRUSTED_PROXIES) can be
 * believed, so the list is read from the right and the first address that is not a trusted proxy is the client.
 * Anything a client writes into the header itself sits to the left of that and is ignored.
 *
 * With no trusted proxies, the right-most entry is used. Plinth's servers (npm start, the Playwright server, the
 * image's web role) append the connection's own address to the header before Next sees the request
 * (scripts/image/forwarded-for.mjs), so that entry is always the real peer, whatever a client sent.
 */
import { BlockList, isIP } from 'node:net';

export type TrustedProxies = BlockList;

/** Parses `10.0.0.0/8, 192.0.2.1, ::1` (addresses and CIDR ranges, IPv4 or IPv6). Throws on anything else. */
export function parseTrustedProxies(value: string | null | undefined): TrustedProxies {
  const list = new BlockList();
  for (const raw of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address, bits] = raw.split('/');
    const family = isIP(address ?? '');
    if (!family) throw new Error(`PLINTH_TRUSTED_PROXIES: "${raw}" is not an IP address or CIDR range`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(bits), type);
  }
  return list;
}

const normalize = (ip: string) => ip.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

function trusted(list: TrustedProxies, ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

export function clientIpFrom(headers: Headers, proxies: TrustedProxies): string {
  const chain = (headers.get('x-forwarded-for') ?? '').split(',').map(normalize).filter((ip) => isIP(ip) !== 0);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (i === 0 || !trusted(proxies, chain[i]!)) return chain[i]!;
  }
  return 'local';
}
