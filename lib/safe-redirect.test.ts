import { describe, expect, it } from 'vitest';
import { safeRedirect } from './safe-redirect';

describe('safeRedirect', () => {
  it.each([
    '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/\r\n/evil.example', '\t//evil.example', '/\t\\evil.example',
    '//evil.example', '/\\evil.example', '\\/evil.example', '\\\\evil.example', 'https://evil.example/console', 'http:evil.example',
    'javascript:alert(1)', ' //evil.example', '/%09/evil.example/../..//evil.example', 'evil.example', '', '/\u0000/evil.example',
  ])('refuses %j', (target) => {
    const out = safeRedirect(target, '/console');
    expect(new URL(out, 'https://plinth.test').origin).toBe('https://plinth.test');
    expect(out.startsWith('//') || out.startsWith('/\\')).toBe(false);
  });

  it('keeps site paths, normalized', () => {
    expect(safeRedirect('/console/billing?x=1#top', '/console')).toBe('/console/billing?x=1#top');
    expect(safeRedirect('/invite/abc', '/console')).toBe('/invite/abc');
    expect(safeRedirect('/console/../admin', '/console')).toBe('/admin');
    expect(safeRedirect(['/a', '/b'], '/console')).toBe('/a');
    expect(safeRedirect('/\t/evil.example', '/console')).toBe('/console');
  });
});
