import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRecord } from '../kube.types.js';
import {
  compareForRemoval,
  covers,
  findItem,
  jsonPointer,
  memberPaths,
  parseFieldsV1,
  project,
} from './field-set.util.js';

/** The spec's example: a container keyed by name, with two fields. */
const containers = {
  'f:spec': {
    'f:template': {
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    },
  },
};

/** fieldsV1 of a JSON value with maps granular and every list atomic (a CRD without list types). */
function fieldsOf(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[`f:${k}`] = isRecord(v) && Object.keys(v).length > 0 ? fieldsOf(v) : {};
  return out;
}

describe('fieldsV1', () => {
  it('parses members, including list items marked with "."', () => {
    const paths = memberPaths(parseFieldsV1(containers)).map((p) => p.join(' '));
    expect(paths).toEqual([
      'f:spec f:template f:spec f:containers k:{"name":"c"}',
      'f:spec f:template f:spec f:containers k:{"name":"c"} f:image',
      'f:spec f:template f:spec f:containers k:{"name":"c"} f:name',
    ]);
  });

  it('an atomic leaf owns everything inside it; a list-item marker only the fields it lists', () => {
    const atomic = parseFieldsV1({ 'f:spec': { 'f:http': {} } });
    expect(covers(atomic, ['f:spec', 'f:http'])).toBe(true);
    expect(covers(atomic, ['f:spec', 'f:http', 'i:0', 'f:route'])).toBe(true);
    expect(covers(atomic, ['f:spec', 'f:gateways'])).toBe(false);
    const tree = parseFieldsV1(containers);
    const item = ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"c"}'];
    expect(covers(tree, [...item, 'f:image'])).toBe(true);
    expect(covers(tree, [...item, 'f:env'])).toBe(false);
  });

  it('finds list items by key, value and index; a key field the server defaulted matches one candidate', () => {
    const ports = [{ containerPort: 80, name: 'http' }, { containerPort: 443 }];
    expect(findItem(ports, 'k:{"containerPort":443,"protocol":"TCP"}')).toBe(1);
    expect(findItem(ports, 'k:{"containerPort":8080}')).toBe(-1);
    expect(findItem(['a', 'b'], 'v:"b"')).toBe(1);
    expect(findItem(['a', 'b'], 'i:1')).toBe(1);
    expect(findItem(['a'], 'i:7')).toBe(-1);
    expect(findItem(['a'], 'k:not json')).toBe(-1);
  });

  it('projects the fields a manager owns out of a live object', () => {
    const live = {
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              { name: 'side', image: 's' },
              { name: 'c', image: 'app:1', imagePullPolicy: 'Always' },
            ],
          },
        },
      },
      status: { ready: 1 },
    };
    expect(project(live, parseFieldsV1(containers))).toEqual({
      spec: { template: { spec: { containers: [{ name: 'c', image: 'app:1' }] } } },
    });
  });

  it('projecting an object through its own field set gives it back (property)', () => {
    const json = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 4 }), {
      maxKeys: 6,
    });
    fc.assert(
      fc.property(json, (value) => {
        expect(project(value, parseFieldsV1(fieldsOf(value)))).toEqual(value);
      }),
    );
  });

  it('keeps a "__proto__" key as data (found by the property above)', () => {
    const value = JSON.parse('{" ":{"__proto__":0}}') as Record<string, unknown>;
    expect(project(value, parseFieldsV1(fieldsOf(value)))).toEqual(value);
  });

  it('points at fields and list items with RFC 6901 pointers', () => {
    const obj = { spec: { 'a/b': { '~x': 1 }, list: [{ name: 'p' }, { name: 'q', v: 2 }] } };
    expect(jsonPointer(obj, ['f:spec', 'f:a/b', 'f:~x'])).toBe('/spec/a~1b/~0x');
    expect(jsonPointer(obj, ['f:spec', 'f:list', 'k:{"name":"q"}', 'f:v'])).toBe('/spec/list/1/v');
    expect(jsonPointer(obj, ['f:spec', 'f:missing'])).toBeUndefined();
  });

  it('orders removals so no removal shifts a later one (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 10 }),
        (indexes) => {
          const list = Array.from({ length: 31 }, (_, i) => i);
          const pointers = indexes.map((i) => `/spec/list/${i}`).sort(compareForRemoval);
          const after = [...list];
          for (const p of pointers) after.splice(Number(p.split('/').pop()), 1);
          expect(after).toEqual(list.filter((i) => !indexes.includes(i)));
        },
      ),
    );
  });
});
