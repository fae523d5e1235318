import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../api/object.types.js';
import { KubeStatusError } from '../api/status.util.js';
import { modelSchema } from '../schema/builtin-schema.util.js';
import type { SchemaNode } from '../schema/schema.types.js';
import type { ManagedEntry } from './managed-fields.util.js';
import { trackUpdate } from './managed-fields.util.js';
import { serverSideApply, type ApplyRequest } from './server-side-apply.util.js';

const schema: SchemaNode = modelSchema('V1Deployment');
const ref = { group: 'apps', kind: 'deployments', name: 'web' };
const req = (manager: string, force = false): ApplyRequest => ({
  manager,
  apiVersion: 'apps/v1',
  subresource: '',
  force,
  time: 't',
  schema,
  statusSubresource: true,
});

function config(replicas: number, containers: JsonObject[], labels: Record<string, string> = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: { replicas, template: { spec: { containers } } },
  };
}

function apply(live: JsonObject, entries: ManagedEntry[], cfg: JsonObject, r: ApplyRequest) {
  return serverSideApply(live, entries, cfg, r, ref);
}

describe('server-side apply', () => {
  it('creates ownership for the applier, typed by the schema (containers keyed by name, ports by port and protocol)', () => {
    const { object, entries } = apply(
      { metadata: { name: 'web' } },
      [],
      config(2, [{ name: 'c', image: 'i:1', ports: [{ containerPort: 80 }] }], { app: 'web' }),
      req('a'),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]!.set.toFieldsV1()).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"c"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
    expect((object['spec'] as JsonObject)['replicas']).toBe(2);
  });

  it('conflicts on a different value owned by another manager; equal values are shared; force takes over', () => {
    const first = apply(
      { metadata: { name: 'web' } },
      [],
      config(2, [{ name: 'c', image: 'i:1' }]),
      req('a'),
    );
    const shared = apply(first.object, first.entries, config(2, [{ name: 'c', image: 'i:1' }]), req('b'));
    expect(shared.entries.map((e) => e.manager)).toEqual(['a', 'b']);
    let caught: unknown;
    try {
      apply(shared.object, shared.entries, config(3, [{ name: 'c', image: 'i:2' }]), req('b'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(KubeStatusError);
    expect((caught as KubeStatusError).message).toBe(
      'Apply failed with 2 conflicts: conflicts with "a":\n- .spec.replicas\n- .spec.template.spec.containers[name="c"].image',
    );
    const forced = apply(
      shared.object,
      shared.entries,
      config(3, [{ name: 'c', image: 'i:2' }]),
      req('b', true),
    );
    const a = forced.entries.find((e) => e.manager === 'a')!;
    expect(a.set.has(['f:spec', 'f:replicas'])).toBe(false);
    expect(a.set.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"c"}', 'f:name'])).toBe(
      true,
    );
    expect((forced.object['spec'] as JsonObject)['replicas']).toBe(3);
  });

  it('removes fields the manager no longer applies, keeps those another manager owns', () => {
    const one = apply(
      { metadata: { name: 'web' } },
      [],
      config(
        1,
        [
          { name: 'c', image: 'i' },
          { name: 'd', image: 'j' },
        ],
        { x: '1', y: '2' },
      ),
      req('a'),
    );
    const two = apply(one.object, one.entries, config(1, [{ name: 'd', image: 'j' }], { y: '2' }), req('b'));
    const dropped = apply(two.object, two.entries, config(1, [], {}), req('a'));
    expect((dropped.object['metadata'] as JsonObject)['labels']).toEqual({ y: '2' });
    const names = (
      ((dropped.object['spec'] as JsonObject)['template'] as JsonObject)['spec'] as {
        containers: JsonObject[];
      }
    ).containers.map((c) => c['name']);
    expect(names).toEqual(['d']);
  });

  it('Update operations take over changed fields from every other manager without conflicts', () => {
    const applied = apply(
      { metadata: { name: 'web' } },
      [],
      config(1, [{ name: 'c', image: 'i' }]),
      req('a'),
    );
    const updated: JsonObject = structuredClone(applied.object);
    (updated['spec'] as JsonObject)['replicas'] = 5;
    const entries = trackUpdate(applied.entries, applied.object, updated, {
      manager: 'hpa',
      apiVersion: 'apps/v1',
      subresource: '',
      time: 't',
      schema,
      statusSubresource: true,
    });
    expect(entries.find((e) => e.manager === 'a')!.set.has(['f:spec', 'f:replicas'])).toBe(false);
    expect(entries.find((e) => e.manager === 'hpa')).toMatchObject({ operation: 'Update' });
    expect(entries.find((e) => e.manager === 'hpa')!.set.toFieldsV1()).toEqual({
      'f:spec': { 'f:replicas': {} },
    });
    expect(() => apply(updated, entries, config(1, [{ name: 'c', image: 'i' }]), req('a'))).toThrow(
      'Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas',
    );
  });
});
