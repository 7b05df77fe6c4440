import { describe, expect, it } from 'vitest';
import { consoleHref, parseOrgPath } from './console-href';

describe('console hrefs', () => {
  it('builds and parses org-scoped paths', () => {
    expect(consoleHref('acme', '/deployments/1')).toBe('/o/acme/deployments/1');
    expect(consoleHref('acme')).toBe('/o/acme');
    expect(parseOrgPath('/o/acme/deployments/1')).toEqual({ slug: 'acme', rest: '/deployments/1' });
    expect(parseOrgPath('/o/acme')).toEqual({ slug: 'acme', rest: '' });
    expect(parseOrgPath('/o/')).toBeNull();
    expect(parseOrgPath('/console/deployments')).toBeNull();
    expect(parseOrgPath('/o/%E0%A4%A')).toBeNull();
  });
});
