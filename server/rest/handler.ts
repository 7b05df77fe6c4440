/**
 * The REST API dispatcher (`/api/v1/...`): authenticates the API key, matches the route, reads the body (JSON,
 * at most 256 KB), applies Idempotency-Key on POST, calls the route (a tRPC caller built on the key's context,
 * so the procedures' own checks apply), and answers the documented shape or `{ code, message, field }`.
 */
import type { Db } from '~/db/client';
import { contextForApiKey } from '../api/api-key-context';
import { MAX_BODY_BYTES, readLimited } from '../api/http';
import { createCaller } from '../api/root';
import type { Context } from '../api/trpc';
import { restError, toRestError, type RestError } from './errors';
import { checkKey, lookup, requestHash, store } from './idempotency';
import { openApiDocument } from './openapi';
import { routes, type Method, type Route } from './routes';

export const API_PREFIX = '/api/v1';

export type RestDeps = { db: Db; config: Context['config']; ip: string };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const compiled = routes.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]+)')}$`),
}));

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
const fail = (e: RestError, headers: Record<string, string> = {}) => json(e.status, e.body, headers);

function match(method: string, path: string): { route: Route; params: Record<string, string> } | RestError {
  let pathKnown = false;
  for (const c of compiled) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (c.route.method !== method) continue;
    let params: Record<string, string>;
    try {
      params = Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      return restError(400, 'BAD_REQUEST', 'The path is not valid URL encoding.');
    }
    return { route: c.route, params };
  }
  return pathKnown
    ? restError(405, 'METHOD_NOT_ALLOWED', `${method.toUpperCase()} is not supported here. See ${API_PREFIX}/openapi.json.`)
    : restError(404, 'NOT_FOUND', `There is no ${API_PREFIX}${path} endpoint. See ${API_PREFIX}/openapi.json.`);
}

/** `If-Match: "3"` (or `3`, or `W/"3"`): the generation the client last saw. */
function parseIfMatch(h: string | null): number | RestError | null {
  if (h === null) return null;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(h);
  if (!m) return restError(400, 'BAD_REQUEST', 'Send If-Match as the deployment’s ETag, e.g. "3".', 'If-Match');
  return Number(m[1]);
}

async function readBody(req: Request, route: Route): Promise<{ text: string; body: Record<string, unknown> } | RestError> {
  if (!route.body) return { text: '', body: {} };
  const text = await readLimited(req, MAX_BODY_BYTES);
  if (text === null) return restError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than 256 KB.');
  if (text.trim() === '') return { text, body: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return restError(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return restError(400, 'BAD_REQUEST', 'The request body must be a JSON object.');
  return { text, body: parsed as Record<string, unknown> };
}

export async function handleRest(req: Request, deps: RestDeps): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) || '/' : url.pathname;
  const method = req.method.toLowerCase() as Method;
  if (path === '/openapi.json' && method === 'get') return json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' });

  const matched = match(method, path);
  if ('status' in matched) return fail(matched);
  const { route, params } = matched;

  const auth = req.headers.get('authorization') ?? '';
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
  if (!presented) return fail(restError(401, 'UNAUTHORIZED', 'Send an API key as "Authorization: Bearer plk_…". Create one under Settings → API keys.'), { 'www-authenticate': 'Bearer' });

  const ifMatch = parseIfMatch(req.headers.get('if-match'));
  if (ifMatch !== null && typeof ifMatch !== 'number') return fail(ifMatch);
  const idempotencyKey = req.headers.get('idempotency-key');
  if (idempotencyKey !== null && method === 'post') {
    const bad = checkKey(idempotencyKey);
    if (bad) return fail(bad);
  }

  try {
    const ctx = await contextForApiKey(deps.db, presented, deps.ip, deps.config);
    // `{org}` is the org's id or slug. Anything but the key's own org is refused by the procedure (an id) or
    // here (a slug), with the same answer, so a slug's existence is not revealed.
    const org = params.org!;
    const orgId = org === ctx.apiKey.orgId || org === ctx.apiKey.orgSlug ? ctx.apiKey.orgId : uuidPattern.test(org) ? org : null;
    if (!orgId) return fail(restError(403, 'FORBIDDEN', 'This API key belongs to another organization. Use a key of this organization.'));
    const read = await readBody(req, route);
    if ('status' in read) return fail(read);

    const replayKey = method === 'post' && idempotencyKey ? idempotencyKey : null;
    const hash = replayKey ? requestHash(method, url.pathname, read.text) : '';
    if (replayKey) {
      const prior = await lookup(deps.db, ctx.apiKey.id, replayKey, hash);
      if (prior && 'mismatch' in prior) return fail(prior.mismatch);
      if (prior) return json(prior.replay.status, prior.replay.body, { 'idempotent-replayed': 'true' });
    }

    const api = createCaller(ctx);
    let answer: { status: number; body: unknown };
    try {
      const result = await route.run(api, { orgId, params, query: Object.fromEntries(url.searchParams), body: read.body, ifMatch, idempotencyKey: replayKey });
      answer = { status: route.status, body: route.response.parse(JSON.parse(JSON.stringify(result))) };
    } catch (e) {
      const err = toRestError(e, { ifMatch: ifMatch !== null });
      answer = { status: err.status, body: err.body };
    }
    if (replayKey) await store(deps.db, ctx.apiKey.id, replayKey, hash, answer);
    const etag = route.operationId === 'getDeployment' && answer.status === 200 ? { etag: `"${(answer.body as { generation: number }).generation}"` } : undefined;
    return json(answer.status, answer.body, etag);
  } catch (e) {
    return fail(toRestError(e, { ifMatch: false }));
  }
}
