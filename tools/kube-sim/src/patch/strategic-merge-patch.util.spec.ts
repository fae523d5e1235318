import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../api/object.types.js';
import { modelSchema } from '../schema/builtin-schema.util.js';
import { UNTYPED } from '../schema/schema.types.js';
import { applyMergePatch } from './merge-patch.util.js';
import { applyStrategicMergePatch, StrategicPatchError } from './strategic-merge-patch.util.js';

const deployment = modelSchema('V1Deployment');
const live = (): JsonObject => ({
  metadata: { name: 'web', finalizers: ['a/b'], labels: { app: 'web' } },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
    template: {
      spec: {
        containers: [
          {
            name: 'web',
            image: 'web:1',
            ports: [{ containerPort: 80 }],
            env: [{ name: 'A', value: '1' }],
            args: ['x'],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    },
  },
});

const containers = (o: JsonObject): JsonObject[] =>
  ((o['spec'] as JsonObject)['template'] as { spec: { containers: JsonObject[] } }).spec.containers;

describe('strategic merge patch', () => {
  it('merges containers by name, env by name, and replaces lists without a merge strategy', () => {
    const out = applyStrategicMergePatch(
      live(),
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'web', image: 'web:2', env: [{ name: 'B', value: '2' }], args: ['y'] }],
            },
          },
        },
      },
      deployment,
    );
    expect(containers(out)).toEqual([
      {
        name: 'web',
        image: 'web:2',
        ports: [{ containerPort: 80 }],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        args: ['y'],
      },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
  });

  it('honours $patch delete/replace, $setElementOrder, $retainKeys, $deleteFromPrimitiveList and null', () => {
    const deleted = applyStrategicMergePatch(
      live(),
      { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } },
      deployment,
    );
    expect(containers(deleted).map((c) => c['name'])).toEqual(['web']);
    const replaced = applyStrategicMergePatch(
      live(),
      {
        spec: { template: { spec: { containers: [{ name: 'only', image: 'o:1' }, { $patch: 'replace' }] } } },
      },
      deployment,
    );
    expect(containers(replaced)).toEqual([{ name: 'only', image: 'o:1' }]);
    const reordered = applyStrategicMergePatch(
      live(),
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
              containers: [{ name: 'web', image: 'web:3' }],
            },
          },
        },
      },
      deployment,
    );
    expect(containers(reordered).map((c) => `${String(c['name'])}=${String(c['image'])}`)).toEqual([
      'sidecar=proxy:1',
      'web=web:3',
    ]);
    const retained = applyStrategicMergePatch(
      live(),
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      deployment,
    );
    expect((retained['spec'] as JsonObject)['strategy']).toEqual({ type: 'Recreate' });
    const finalizers = applyStrategicMergePatch(
      live(),
      { metadata: { finalizers: ['c/d'], '$deleteFromPrimitiveList/finalizers': ['a/b'] } },
      deployment,
    );
    expect((finalizers['metadata'] as JsonObject)['finalizers']).toEqual(['c/d']);
    const nulled = applyStrategicMergePatch(
      live(),
      { metadata: { labels: { app: null } }, spec: { strategy: null } },
      deployment,
    );
    expect((nulled['metadata'] as JsonObject)['labels']).toEqual({});
    expect((nulled['spec'] as JsonObject)['strategy']).toBeUndefined();
    const mapReplace = applyStrategicMergePatch(
      live(),
      { metadata: { labels: { $patch: 'replace', tier: 'fe' } } },
      deployment,
    );
    expect((mapReplace['metadata'] as JsonObject)['labels']).toEqual({ tier: 'fe' });
  });

  it('rejects malformed directives', () => {
    expect(() => applyStrategicMergePatch(live(), { spec: { $patch: 'explode' } }, deployment)).toThrow(
      StrategicPatchError,
    );
    expect(() =>
      applyStrategicMergePatch(
        live(),
        { spec: { template: { spec: { containers: ['not-an-object'] } } } },
        deployment,
      ),
    ).toThrow(StrategicPatchError);
    expect(() => applyStrategicMergePatch(live(), ['x'], deployment)).toThrow(StrategicPatchError);
  });

  it('property: without patch strategies (no merge keys, no directives) it is a JSON merge patch', () => {
    const key = fc.string({ minLength: 1, maxLength: 5 }).filter((k) => !k.startsWith('$'));
    const value: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 0 }) as fc.Arbitrary<JsonValue>,
        fc.array(tie('v'), { maxLength: 2 }),
        fc.dictionary(key, tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { maxKeys: 4 }),
        fc.dictionary(key, value, { maxKeys: 4 }),
        (target, patch) => {
          expect(applyStrategicMergePatch(target, patch, UNTYPED)).toEqual(applyMergePatch(target, patch));
        },
      ),
    );
  });
});
