import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GoMap } from '../template/go-value.util.js';
import { coalesceValues, mergeUserValues, toGoMap } from './chart-values.util.js';

describe('values merging', () => {
  const defaults: GoMap = { a: 1, nested: { x: 1, y: { deep: true } }, list: [1, 2], gone: 'default' };

  it('fills what the user left out and lets the user win elsewhere', () => {
    expect(coalesceValues({ nested: { x: 2 }, extra: 'u' }, defaults)).toEqual({
      a: 1,
      nested: { x: 2, y: { deep: true } },
      list: [1, 2],
      gone: 'default',
      extra: 'u',
    });
  });

  it('deletes a default the user sets to null, as Helm does', () => {
    expect(coalesceValues({ gone: null, nested: { y: null } }, defaults)).toEqual({
      a: 1,
      nested: { x: 1 },
      list: [1, 2],
    });
  });

  it('replaces lists instead of merging them', () => {
    expect(coalesceValues({ list: [3] }, defaults)['list']).toEqual([3]);
  });

  it('merges -f files in order, maps deeply', () => {
    expect(mergeUserValues([{ a: 1, m: { x: 1, y: 1 } }, { m: { y: 2 } }, { a: 3 }])).toEqual({
      a: 3,
      m: { x: 1, y: 2 },
    });
  });

  it('never changes its inputs', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (u, d) => {
        const user = toGoMap({ k: u }, 'user');
        const defs = toGoMap({ k: d, other: d }, 'defaults');
        const [userCopy, defsCopy] = [structuredClone(user), structuredClone(defs)];
        coalesceValues(user, defs);
        mergeUserValues([user, defs]);
        expect(user).toEqual(userCopy);
        expect(defs).toEqual(defsCopy);
      }),
    );
  });

  it('keeps every user value that is not null', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (u, d) => {
          const user = toGoMap({ ...u }, 'user');
          const out = coalesceValues(user, toGoMap({ ...d }, 'defaults'));
          for (const [k, v] of Object.entries(user)) {
            if (v === null) expect(Object.hasOwn(d, k) ? Object.hasOwn(out, k) : out[k]).toBeFalsy();
            else if (typeof v !== 'object' || Array.isArray(v)) expect(out[k]).toEqual(v);
          }
        },
      ),
    );
  });

  it('rejects a values file that is not a mapping, and numbers JSON cannot hold', () => {
    expect(() => toGoMap(['a'], 'my-values.yaml')).toThrow('my-values.yaml must be a YAML mapping');
    expect(() => toGoMap({ a: { b: Infinity } }, 'v.yaml')).toThrow('v.yaml.a.b is not a finite number');
  });
});
