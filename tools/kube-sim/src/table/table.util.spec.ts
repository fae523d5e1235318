import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/object.types.js';
import { humanDuration } from './human-duration.util.js';
import { evalJsonPath, parseJsonPath } from './jsonpath.util.js';

describe('HumanDuration', () => {
  it('matches apimachinery util/duration', () => {
    const s = 1000;
    const cases: Array<[number, string]> = [
      [-2 * s, '<invalid>'],
      [-500, '0s'],
      [45 * s, '45s'],
      [119 * s, '119s'],
      [120 * s, '2m'],
      [200 * s, '3m20s'],
      [10 * 60 * s, '10m'],
      [179 * 60 * s, '179m'],
      [3 * 3600 * s, '3h'],
      [(5 * 3600 + 2 * 60) * s, '5h2m'],
      [47 * 3600 * s, '47h'],
      [3 * 86400 * s, '3d'],
      [(3 * 86400 + 5 * 3600) * s, '3d5h'],
      [400 * 86400 * s, '400d'],
      [(2 * 365 + 45) * 86400 * s, '2y45d'],
      [9 * 365 * 86400 * s, '9y'],
    ];
    for (const [ms, text] of cases) expect(humanDuration(ms), text).toBe(text);
  });
});

describe('printer-column JSONPath', () => {
  const obj = {
    apiVersion: 'v1',
    kind: 'X',
    metadata: {
      name: 'a',
      uid: 'u',
      resourceVersion: '1',
      creationTimestamp: 't',
      annotations: { 'a.b/c': 'v' },
    },
    spec: { hosts: ['x', 'y'], items: [{ n: 1 }, { n: 2 }] },
    status: {
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Synced', status: 'False' },
      ],
    },
  } as unknown as KubeObject;

  it('evaluates the forms CRDs use', () => {
    const at = (p: string) => evalJsonPath(obj, parseJsonPath(p)!);
    expect(at('.spec.hosts')).toEqual([['x', 'y']]);
    expect(at('.spec.hosts[1]')).toEqual(['y']);
    expect(at('.spec.hosts[-1]')).toEqual(['y']);
    expect(at('.spec.items[*].n')).toEqual([1, 2]);
    expect(at('.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(at(".metadata.annotations['a.b/c']")).toEqual(['v']);
    expect(at('{.metadata.name}')).toEqual(['a']);
    expect(at('.spec.missing')).toEqual([]);
  });

  it('refuses what it does not support', () => {
    expect(parseJsonPath('spec.hosts')).toBeUndefined();
    expect(parseJsonPath('.spec[?(@.a>1)]')).toBeUndefined();
    expect(parseJsonPath('.a[')).toBeUndefined();
  });
});
