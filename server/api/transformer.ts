/**
 * The tRPC data transformer: superjson on the wire, with a faster serializer for what the server sends most.
 *
 * superjson.serialize walks every value through its plugin registry and records every object's identity; on the
 * deployments list (20 rows, ~400 values) that was ~290 µs per response — a tenth of a signed-in read's whole
 * cost. Responses are almost always plain JSON plus Dates, so `serialize` here copies such a value in one pass
 * (Dates become ISO strings and are noted in `meta.values`, exactly as superjson notes them) and hands anything
 * else to superjson itself: undefined, bigint, NaN/±Infinity/-0, Map/Set/class instances, an object or Date met
 * twice (superjson records referential equalities), keys containing `.` or `\` (superjson escapes them). The
 * output is superjson's own, byte for byte on the cases it handles (transformer.test.ts compares them on
 * generated values), so clients keep `superjson` as their transformer. Inputs are deserialized by superjson.
 */
import superjson from 'superjson';
import type { SuperJSONResult } from 'superjson';

const GIVE_UP = Symbol('superjson');
/** What superjson notes about a value: ['Date'] for the value itself, or its descendants' notes by relative path. */
type Notes = ['Date'] | Record<string, ['Date']> | undefined;

/**
 * The copy and its notes, built the way superjson's walker builds them (each level's notes in a plain object keyed
 * by the child's index or key, then prefixed), so even the order of `meta.values` comes out the same.
 */
function plainCopy(value: unknown): { json: unknown; notes: Notes } | typeof GIVE_UP {
  const seen = new Set<object>();
  let notes: Notes; // the notes of the value copy() last returned
  let ok = true;
  const child = (inner: Record<string, ['Date']> | undefined, key: string | number) => {
    if (!notes) return inner;
    const into = inner ?? {};
    if (Array.isArray(notes)) into[key] = notes;
    else for (const [path, note] of Object.entries(notes)) into[`${key}.${path}`] = note;
    return into;
  };
  const copy = (v: unknown): unknown => {
    notes = undefined;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) ok = false;
      return v;
    }
    if (typeof v !== 'object' || seen.has(v)) return (ok = false), null;
    seen.add(v);
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) return (ok = false), null;
      notes = ['Date'];
      return v.toISOString();
    }
    let inner: Record<string, ['Date']> | undefined;
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length && ok; i++) {
        out[i] = copy(v[i]);
        inner = child(inner, i);
      }
      notes = inner;
      return out;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return (ok = false), null;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (key.includes('.') || key.includes('\\')) return (ok = false), null;
      out[key] = copy((v as Record<string, unknown>)[key]);
      if (!ok) return null;
      inner = child(inner, key);
    }
    notes = inner;
    return out;
  };
  const json = copy(value);
  return ok ? { json, notes } : GIVE_UP;
}

/** superjson.serialize's output, computed in one pass when the value is plain JSON plus Dates. */
export function serialize(value: unknown): SuperJSONResult {
  const plain = plainCopy(value);
  if (plain === GIVE_UP) return superjson.serialize(value);
  const json = plain.json as SuperJSONResult['json'];
  return (plain.notes ? { json, meta: { values: plain.notes, v: 1 } } : { json }) as SuperJSONResult;
}

export const transformer = {
  serialize,
  deserialize: <T>(payload: SuperJSONResult): T => superjson.deserialize<T>(payload),
};
