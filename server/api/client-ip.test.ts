import { describe, expect, it } from 'vitest';
import { clientIpFrom, parseTrustedProxies } from './client-ip';

const ip = (xff: string | null, proxies = '') => clientIpFrom(new Headers(xff === null ? {} : { 'x-forwarded-for': xff }), parseTrustedProxies(proxies));

describe('client address', () => {
  it('ignores what a client writes into X-Forwarded-For in front of a trusted proxy', () => {
    // The proxy (10.0.0.5) appended the real peer, 203.0.113.9; everything left of it is the client's invention.
    expect(ip('1.2.3.4, 203.0.113.9', '10.0.0.0/8')).toBe('203.0.113.9');
    expect(ip('9.9.9.9, 203.0.113.9, 10.0.0.5', '10.0.0.0/8')).toBe('203.0.113.9');
    // A fresh made-up value does not give the same client a fresh identity.
    expect(ip('5.6.7.8, 203.0.113.9, 10.0.0.5', '10.0.0.0/8')).toBe('203.0.113.9');
  });

  it('with no trusted proxies, believes only the right-most entry (the socket address next start fills in)', () => {
    expect(ip('203.0.113.9')).toBe('203.0.113.9');
    expect(ip('1.2.3.4, 203.0.113.9')).toBe('203.0.113.9');
    expect(ip('1.2.3.4, 10.0.0.5')).toBe('10.0.0.5');
  });

  it('skips garbage and maps IPv4-mapped IPv6', () => {
    expect(ip('not-an-ip, ::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(ip('')).toBe('local');
    expect(ip(null)).toBe('local');
    expect(ip('2001:db8::1, fd00::1', 'fd00::/8')).toBe('2001:db8::1');
  });

  it('refuses a malformed PLINTH_TRUSTED_PROXIES at start-up', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, proxy.local')).toThrow(/proxy.local/);
  });
});
