/**
 * Sets response headers in place. Re-wrapping a Response to add a header (`new Response(res.body, …)`) builds a
 * new body stream and header list on every request: measurable on the signed-in read path, which does it twice.
 * A Response whose headers are immutable (Response.error(), one from fetch()) is copied instead.
 */
export function withHeaders(res: Response, headers: Record<string, string>): Response {
  try {
    for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
    return res;
  } catch {
    const copy = new Headers(res.headers);
    for (const [name, value] of Object.entries(headers)) copy.set(name, value);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers: copy });
  }
}
