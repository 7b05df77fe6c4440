/**
 * The tRPC transformer's serializer (transformer.ts) must produce superjson's own output: clients decode it with
 * superjson. Compared byte for byte with superjson.serialize on generated values — plain JSON, Dates anywhere,
 * and everything the fast path hands back to superjson (undefined, bigint, NaN, -0, Maps, Sets, shared objects,
 * keys with dots or backslashes, invalid Dates) — and decoded back to the value.
 */
import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serialize } from './transformer';

const same = (value: unknown) => {
  expect(JSON.stringify(serialize(value))).toBe(JSON.stringify(superjson.serialize(value)));
  expect(superjson.deserialize(serialize(value))).toEqual(superjson.deserialize(superjson.serialize(value)));
};

const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b.c', 'x\\y', '0', '__proto__x', 'toJSONx'));
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), date);
const exotic = fc.oneof(fc.constant(undefined), fc.bigInt(), fc.constant(Number.NaN), fc.constant(-0), fc.constant(new Date(Number.NaN)), fc.constant(new Map([[1, 'a']])), fc.constant(new Set([1])));

describe('tRPC transformer', () => {
  it('matches superjson on plain values with Dates anywhere', () => {
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
    }));
    fc.assert(fc.property(tree, same), { numRuns: 2000 });
  });

  it('hands values superjson treats specially back to superjson, anywhere in the tree', () => {
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, exotic, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
    }));
    fc.assert(fc.property(tree, same), { numRuns: 2000 });
  });

  it('hands shared objects and Dates back to superjson (it records referential equalities)', () => {
    const d = new Date(0);
    const o = { k: 1 };
    same({ a: d, b: [d] });
    same({ x: o, y: { z: o } });
    same([o, o]);
    same(d);
    same({ rows: [{ createdAt: new Date(1), outputs: { host: 'h', port: 1 } }, { createdAt: new Date(2), outputs: null }] });
    class Row {
      id = 1;
    }
    same({ row: new Row() });
    same(Object.assign(Object.create(null) as object, { a: new Date(3) }));
  });
});
