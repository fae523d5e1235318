import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../api/object.types.js';
import { applyJsonPatch, JsonPatchError, parsePointer } from './json-patch.util.js';

const doc = (): JsonObject => ({ foo: 'bar', list: [1, 2, 3], nested: { 'a/b': 1, 'm~n': 2 } });

describe('JSON patch (RFC 6902)', () => {
  it('implements add, remove, replace, move, copy and test', () => {
    expect(applyJsonPatch(doc(), [{ op: 'add', path: '/baz', value: 'qux' }])).toMatchObject({ baz: 'qux' });
    expect(applyJsonPatch(doc(), [{ op: 'add', path: '/list/1', value: 9 }])).toMatchObject({
      list: [1, 9, 2, 3],
    });
    expect(applyJsonPatch(doc(), [{ op: 'add', path: '/list/-', value: 4 }])).toMatchObject({
      list: [1, 2, 3, 4],
    });
    expect(applyJsonPatch(doc(), [{ op: 'remove', path: '/nested/a~1b' }])).toMatchObject({
      nested: { 'm~n': 2 },
    });
    expect(applyJsonPatch(doc(), [{ op: 'replace', path: '/nested/m~0n', value: 3 }])).toMatchObject({
      nested: { 'a/b': 1, 'm~n': 3 },
    });
    expect(applyJsonPatch(doc(), [{ op: 'move', from: '/foo', path: '/moved' }])).toEqual({
      moved: 'bar',
      list: [1, 2, 3],
      nested: { 'a/b': 1, 'm~n': 2 },
    });
    expect(applyJsonPatch(doc(), [{ op: 'copy', from: '/list/0', path: '/first' }])).toMatchObject({
      first: 1,
      list: [1, 2, 3],
    });
    expect(applyJsonPatch(doc(), [{ op: 'test', path: '/list', value: [1, 2, 3] }])).toEqual(doc());
    expect(applyJsonPatch(doc(), [{ op: 'replace', path: '', value: [1] }])).toEqual([1]);
  });

  it('reports failed operations and malformed patches differently', () => {
    const failed = (patch: unknown) => {
      try {
        applyJsonPatch(doc(), patch);
      } catch (err) {
        return (err as JsonPatchError).kind;
      }
      return 'ok';
    };
    expect(failed([{ op: 'test', path: '/foo', value: 'baz' }])).toBe('failed');
    expect(failed([{ op: 'remove', path: '/missing' }])).toBe('failed');
    expect(failed([{ op: 'add', path: '/list/7', value: 1 }])).toBe('failed');
    expect(failed([{ op: 'replace', path: '/nope', value: 1 }])).toBe('failed');
    expect(failed({ op: 'add' })).toBe('malformed');
    expect(failed([{ op: 'add', path: 'no-slash', value: 1 }])).toBe('malformed');
    expect(failed([{ op: 'jump', path: '/foo' }])).toBe('malformed');
    expect(failed([{ op: 'add', path: '/x' }])).toBe('malformed');
    expect(() => applyJsonPatch(doc(), [{ op: 'test', path: '/foo', value: 'x' }])).toThrow(
      'testing value /foo failed: test failed',
    );
  });

  it('never mutates its input and applies all or nothing', () => {
    const input = doc();
    expect(() =>
      applyJsonPatch(input, [
        { op: 'add', path: '/new', value: 1 },
        { op: 'test', path: '/foo', value: 'no' },
      ]),
    ).toThrow(JsonPatchError);
    expect(input).toEqual(doc());
  });

  it('property: add then remove restores the document; test of the added value passes', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>),
        fc.string({ maxLength: 6 }),
        fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>,
        (obj, k, v) => {
          fc.pre(!(k in obj));
          const pointer = `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
          expect(parsePointer(pointer)).toEqual([k]);
          const added = applyJsonPatch(obj, [
            { op: 'add', path: pointer, value: v },
            { op: 'test', path: pointer, value: v },
          ]);
          expect(applyJsonPatch(added, [{ op: 'remove', path: pointer }])).toEqual(obj);
        },
      ),
    );
  });

  it('property: arbitrary patch documents only ever fail as JsonPatchError', () => {
    const op = fc.record({
      op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
      path: fc.constantFrom('', '/foo', '/list/0', '/list/-', '/nested/x', 'bad', '/list/99'),
      from: fc.constantFrom('/foo', '/list', '/nope'),
      value: fc.jsonValue({ maxDepth: 1 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 4 }), (patch) => {
        try {
          applyJsonPatch(doc(), patch);
        } catch (err) {
          expect(err).toBeInstanceOf(JsonPatchError);
        }
      }),
    );
  });
});
