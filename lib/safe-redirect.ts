/**
 * Redirect targets must stay on this site. The target is parsed the way a browser will parse it — against an
 * origin, with tabs and newlines stripped and backslashes read as slashes — and accepted only if the result has
 * the same origin; `/\t/evil.example` passes a "starts with one slash" check but a browser goes to
 * //evil.example. What is returned is the normalized path, query and hash, never the raw input.
 */
const BASE = 'https://plinth.invalid';

export function safeRedirect(target: string | string[] | undefined | null, fallback: string): string {
  const value = Array.isArray(target) ? target[0] : target;
  if (!value || value.length > 2048) return fallback;
  // Only site-relative paths are accepted: an absolute URL to our own host is unusual enough to refuse too.
  const trimmed = value.replace(/[\u0000-\u0020]/g, '');
  if (!trimmed.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A normalized path that still starts with // or /\ would be protocol-relative if used as-is.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  return path;
}
