/** Only same-site paths may be redirect targets; anything else falls back. */
export function safeRedirect(target: string | string[] | undefined | null, fallback: string): string {
  const value = Array.isArray(target) ? target[0] : target;
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}
