import net from 'node:net';

/** Addresses (and CIDR ranges) of the reverse proxies whose X-Forwarded-For this server believes (TRUSTED_PROXIES). */
export type TrustedProxies = { list: net.BlockList; isEmpty: boolean };

function normalise(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, '');
  // IPv4 peers on a dual-stack socket show up as ::ffff:a.b.c.d.
  return trimmed.startsWith('::ffff:') && net.isIPv4(trimmed.slice(7)) ? trimmed.slice(7) : trimmed;
}

/**
 * Parses TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (`127.0.0.1, 10.0.0.0/8, ::1`). Throws naming the
 * entry that is neither, so a typo fails at start instead of silently trusting nobody (or everybody).
 */
export function parseTrustedProxies(setting: string | undefined): TrustedProxies {
  const list = new net.BlockList();
  const entries = (setting ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
    const prefix = bits === undefined ? null : Number(bits);
    if (!family || (prefix !== null && (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)))) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1)`);
    }
    if (prefix === null) list.addAddress(address, family);
    else list.addSubnet(address, prefix, family);
  }
  return { list, isEmpty: entries.length === 0 };
}

function isTrusted(address: string, trusted: TrustedProxies): boolean {
  if (trusted.isEmpty) return false;
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
  return family !== null && trusted.list.check(address, family);
}

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy, in which case X-Forwarded-For is read from
 * the right (each proxy appends the address it saw) and the first address that is not a trusted proxy is the client.
 * A header from an untrusted peer is ignored entirely, so a client cannot choose its own address. With every hop
 * trusted, the left-most entry is the client.
 */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  let client = normalise(peer ?? '') || 'unknown';
  if (!isTrusted(client, trusted) || !forwardedFor) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map(normalise).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!net.isIP(hop)) return client;
    client = hop;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return client;
}

/** The request header through which the web server hands the resolved client address to the app. */
export const CLIENT_ADDRESS_HEADER = 'x-hep-arena-client-address';
