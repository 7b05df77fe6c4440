/**
 * Console URLs carry the organization: `/o/{slug}/deployments/{id}`. The files stay under `app/console/`;
 * `proxy.ts` rewrites `/o/{slug}/…` to `/console/…` and hands the slug to `getConsoleContext()` in a request
 * header. Every console link is built here, so a page added later links the same way.
 */

/** The request header `proxy.ts` sets on a rewritten `/o/{slug}/…` request (and strips from anything else). */
export const ORG_SLUG_HEADER = 'x-plinth-org-slug';
/** The path after `/console` of a request that came in on an old `/console/…` URL, for the redirect. */
export const LEGACY_PATH_HEADER = 'x-plinth-console-path';
/** The last organization opened, so old `/console/…` links land in it. */
export const LAST_ORG_COOKIE = 'plinth-org';

/** `/o/{slug}{path}`; `path` starts with `/` (or is empty for the org's home). */
export function consoleHref(slug: string, path = ''): string {
  return `/o/${encodeURIComponent(slug)}${path === '/' ? '' : path}`;
}

/** `/o/{slug}/rest` → `{ slug, rest }` (rest is '' or starts with '/'); anything else → null. */
export function parseOrgPath(pathname: string): { slug: string; rest: string } | null {
  const m = /^\/o\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!m) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return { slug, rest: m[2] ?? '' };
}
