/**
 * Bad input is never a 500. Every procedure of the router (enumerated, so a new one is covered automatically) is
 * driven through the real HTTP handler with generated inputs shaped like its zod schema but filled with hostile
 * values: NUL bytes, lone surrogates, dates outside Postgres's range, impossible cursors, huge strings, wrong
 * types. The caller is a staff admin who owns the org and deployment the ids point at, so inputs get past the
 * role checks and reach the services and the database. Any 5xx fails, with the input that caused it.
 */
import fc from 'fast-check';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { appRouter } from '~/server/api/root';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { serveTrpc, type TestServer } from '~/test/http';

type Proc = { _def: { type: 'query' | 'mutation'; inputs: z.ZodType[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Proc>);

const hostileStrings = [
  '\u0000', 'a\u0000b', 'prod\u0000', '\ud800', 'x\udfffy', '\udc00\ud800', 'é\u0301', '🙂', '\u202e', ' ',
  '2024-02-30T25:61:00Z', '2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '99999-12-31', '-271821-04-20T00:00:00Z',
  '1e400', 'NaN', '-1', "'; drop table users; --", '%00', 'null', 'a'.repeat(20_000), 'ｒｅｄｉｓ',
];
const hostileDates = [new Date(8.64e15), new Date(-8.64e15), new Date(Number.NaN), new Date('0001-01-01'), new Date('+275760-09-13')];

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 10 }).map((s) => `${s}\u0000${s}`),
  fc.string({ maxLength: 10 }).map((s) => `${s}\ud83d`),
  fc.constantFrom(...hostileDates),
  fc.date({ noInvalidDate: false }),
  fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE)),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom(...hostileStrings.slice(0, 6)), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.constantFrom(...hostileStrings.slice(0, 6)), { maxKeys: 3 }),
);

/** The object shape behind a schema, looking through defaults, optionals, pipes and intersections. */
function shapeOf(schema: unknown, depth = 0): Record<string, unknown> | null {
  if (!schema || depth > 8) return null;
  const s = schema as { shape?: Record<string, unknown>; _zod?: { def: Record<string, unknown> } };
  if (s.shape && typeof s.shape === 'object') return s.shape;
  const def = s._zod?.def ?? {};
  for (const k of ['innerType', 'in', 'schema']) {
    const found = shapeOf(def[k], depth + 1);
    if (found) return found;
  }
  const l = shapeOf(def.left, depth + 1);
  const r = shapeOf(def.right, depth + 1);
  return l || r ? { ...l, ...r } : null;
}

function arbitraryFor(schema: unknown, valid: Record<string, unknown>, depth = 0): fc.Arbitrary<unknown> {
  const shape = shapeOf(schema);
  if (!shape || depth > 3) return hostile;
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, child] of Object.entries(shape)) {
    const sane = key in valid ? [fc.constant(valid[key])] : [];
    fields[key] = fc.oneof(arbitraryFor(child, valid, depth + 1), ...sane, ...sane, fc.constant(undefined));
  }
  return fc.record(fields);
}

async function call(server: TestServer, userId: string, path: string, type: string, input: unknown) {
  const encoded = JSON.stringify(superjson.serialize(input));
  const headers = { 'x-test-user': userId, 'content-type': 'application/json' };
  const res =
    type === 'query'
      ? await fetch(`${server.url}/${path}?input=${encodeURIComponent(encoded)}`, { headers })
      : await fetch(`${server.url}/${path}`, { method: 'POST', headers, body: encoded });
  await res.arrayBuffer();
  return res.status;
}

it('enumerates every procedure of the router', () => {
  expect(procedures.length).toBeGreaterThan(30);
});

describe.each(drivers)('no server errors on hostile input (%s)', (driver) => {
  let t: TestDb;
  let server: TestServer;
  let userId: string;
  let valid: Record<string, unknown>;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const admin = await makeUser(t.db, 'fuzz-admin@plinth.test', 'admin');
    const other = await makeUser(t.db, 'fuzz-member@plinth.test');
    userId = admin.user.id;
    const org = await admin.api.orgs.create({ name: 'Fuzz' });
    await other.api.invitations.accept({ token: (await admin.api.invitations.create({ orgId: org.id, role: 'member' })).token });
    const inv = await admin.api.invitations.create({ orgId: org.id, role: 'viewer' });
    const dep = await admin.api.deployments.create({ orgId: org.id, name: 'fuzz-cache', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: 'fuzz-create-1' });
    valid = {
      orgId: org.id, deploymentId: dep.id, userId: other.user.id, invitationId: inv.id, token: inv.token,
      plan: 'starter', region: 'eu-west-1', version: '7.2.5', expectedGeneration: 1, confirm: true,
      reason: 'fuzzing the API', name: 'fuzz-cache', email: 'fuzz-member@plinth.test', role: 'member',
    };
    server = await serveTrpc(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it.each(procedures.map(([path, p]) => [path, p] as const))('%s', async (path, proc) => {
    const arb = arbitraryFor(proc._def.inputs.at(-1) ?? proc._def.inputs[0], valid);
    const seen: Array<{ status: number; input: unknown }> = [];
    await fc.assert(
      fc.asyncProperty(arb, async (input) => {
        const status = await call(server, userId, path, proc._def.type, input);
        if (status >= 500) seen.push({ status, input });
        return status < 500;
      }),
      { numRuns: 40, seed: 1414 },
    );
    expect(seen).toEqual([]);
  });

  it('answers malformed request bodies and envelopes with a 4xx on every procedure', async () => {
    const bad = ['{', '{"json":', 'null', '[]', '{"json":{},"meta":{"values":{"x":["Date"]}}}', '\u0000', '{"json":"\\ud800"}', '{"json":{"orgId":"\\u0000"}}'];
    const statuses: Record<string, number[]> = {};
    for (const [path, proc] of procedures) {
      for (const body of bad) {
        const res =
          proc._def.type === 'query'
            ? await fetch(`${server.url}/${path}?input=${encodeURIComponent(body)}`, { headers: { 'x-test-user': userId } })
            : await fetch(`${server.url}/${path}`, { method: 'POST', headers: { 'x-test-user': userId, 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        if (res.status >= 500) (statuses[path] ??= []).push(res.status);
      }
    }
    expect(statuses).toEqual({});
  });
});
