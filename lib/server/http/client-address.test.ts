import { describe, expect, it } from 'vitest';
import { parseTrustedProxies, resolveClientAddress } from './client-address';

describe('resolveClientAddress', () => {
  const none = parseTrustedProxies('');
  const local = parseTrustedProxies('127.0.0.1, ::1, 10.0.0.0/8');

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy, so a client cannot pick its own address', () => {
    expect(resolveClientAddress('203.0.113.7', '198.51.100.1', none)).toBe('203.0.113.7');
    expect(resolveClientAddress('203.0.113.7', '198.51.100.1', local)).toBe('203.0.113.7');
    expect(resolveClientAddress('::ffff:203.0.113.7', '1.2.3.4', local)).toBe('203.0.113.7');
  });

  it('takes the right-most address that is not a trusted proxy when the peer is one', () => {
    expect(resolveClientAddress('127.0.0.1', '198.51.100.1', local)).toBe('198.51.100.1');
    // The client put a forged address first; nginx appended the real one.
    expect(resolveClientAddress('127.0.0.1', '6.6.6.6, 198.51.100.1', local)).toBe('198.51.100.1');
    expect(resolveClientAddress('::1', '6.6.6.6, 198.51.100.1, 10.1.2.3', local)).toBe('198.51.100.1');
    expect(resolveClientAddress('127.0.0.1', ['6.6.6.6', '198.51.100.2'], local)).toBe('198.51.100.2');
  });

  it('stops at a malformed hop and falls back to the last trusted address, and handles missing headers', () => {
    expect(resolveClientAddress('127.0.0.1', 'not-an-ip', local)).toBe('127.0.0.1');
    expect(resolveClientAddress('127.0.0.1', undefined, local)).toBe('127.0.0.1');
    expect(resolveClientAddress('127.0.0.1', '10.0.0.5', local)).toBe('10.0.0.5');
    expect(resolveClientAddress(undefined, '1.2.3.4', local)).toBe('unknown');
  });

  it('refuses a TRUSTED_PROXIES entry that is not an address or a CIDR range, naming it', () => {
    expect(() => parseTrustedProxies('127.0.0.1, proxy.local')).toThrow(/"proxy.local" is not an IP address/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/"10.0.0.0\/33"/);
  });
});
