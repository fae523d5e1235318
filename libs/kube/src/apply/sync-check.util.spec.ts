import { describe, expect, it } from 'vitest';
import { APPLIED_HASH_ANNOTATION, type KubeObject, type ManagedFieldsEntry } from '../kube.types.js';
import { appliedHash } from './applied-content.util.js';
import { checkSync } from './sync-check.util.js';

const desired: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'r', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'heliomesh' } },
  spec: { hosts: ['r'], http: [{ route: [{ destination: { host: 'r' } }] }] },
};
const hash = appliedHash(desired);

const ours: ManagedFieldsEntry = {
  manager: 'heliomesh',
  operation: 'Apply',
  fieldsV1: {
    'f:metadata': {
      'f:annotations': { [`f:${APPLIED_HASH_ANNOTATION}`]: {} },
      'f:labels': { 'f:app.kubernetes.io/managed-by': {} },
    },
    'f:spec': { 'f:hosts': {}, 'f:http': {} },
  },
};

/** The object as the server stores it after our apply, with extra managers and fields as given. */
function live(
  extra: { spec?: object; labels?: object; managedFields?: ManagedFieldsEntry[]; meta?: object } = {},
): KubeObject {
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      uid: 'u1',
      resourceVersion: '7',
      generation: 1,
      labels: { ...desired.metadata.labels, ...extra.labels },
      annotations: { [APPLIED_HASH_ANNOTATION]: hash },
      managedFields: [ours, ...(extra.managedFields ?? [])],
      ...extra.meta,
    },
    spec: { ...(desired['spec'] as object), ...extra.spec },
    status: { conditions: [] },
  };
}

describe('checkSync', () => {
  it('is in sync right after our apply, whatever the server added to metadata and status', () => {
    expect(checkSync(live(), 'heliomesh', hash)).toEqual({ inSync: true, foreign: [], editors: [] });
    expect(checkSync(live(), 'heliomesh').inSync).toBe(true);
  });

  it('is out of sync when the desired content changed', () => {
    const state = checkSync(live(), 'heliomesh', appliedHash({ ...desired, spec: { hosts: ['other'] } }));
    expect(state.inSync).toBe(false);
    expect(state.reason).toMatch(/desired content hashes to/);
  });

  it('catches an edit of our field that left our annotation in place (the field moved to the editor)', () => {
    const edited = live({
      spec: { hosts: ['evil'] },
      managedFields: [
        { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:hosts': {} } } },
      ],
    });
    edited.metadata.managedFields![0] = {
      ...ours,
      fieldsV1: { ...(ours.fieldsV1 as object), 'f:spec': { 'f:http': {} } },
    };
    const state = checkSync(edited, 'heliomesh', hash);
    expect(state).toMatchObject({ inSync: false, editors: ['kubectl-edit'] });
    expect(state.reason).toBe(
      'fields applied by "heliomesh" were changed or removed (other writers: kubectl-edit)',
    );
  });

  it('catches a field someone added, and lists it for removal', () => {
    const state = checkSync(
      live({
        spec: { gateways: ['gw'] },
        managedFields: [
          { manager: 'helm', operation: 'Update', fieldsV1: { 'f:spec': { 'f:gateways': {} } } },
        ],
      }),
      'heliomesh',
      hash,
    );
    expect(state.inSync).toBe(false);
    expect(state.foreign).toEqual([{ manager: 'helm', path: ['f:spec', 'f:gateways'] }]);
  });

  it('accepts others’ labels and annotations, co-owned equal fields, and status writers', () => {
    const state = checkSync(
      live({
        labels: { team: 'a' },
        managedFields: [
          {
            manager: 'argocd',
            operation: 'Update',
            fieldsV1: { 'f:metadata': { 'f:labels': { 'f:team': {} } } },
          },
          { manager: 'mirror', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:hosts': {} } } },
          { manager: 'istiod', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': {} } },
        ],
      }),
      'heliomesh',
      hash,
    );
    expect(state.inSync).toBe(true);
    expect(state.editors).toEqual(['mirror']);
  });

  it('is out of sync without our annotation, without our apply entry, or while being deleted', () => {
    const noAnnotation = live();
    noAnnotation.metadata.annotations = {};
    expect(checkSync(noAnnotation, 'heliomesh', hash).reason).toMatch(/has no heliomesh.io\/applied-hash/);
    const noEntry = live();
    noEntry.metadata.managedFields = [];
    expect(checkSync(noEntry, 'heliomesh', hash).reason).toMatch(/no server-side apply by "heliomesh"/);
    expect(
      checkSync(live({ meta: { deletionTimestamp: '2026-01-01T00:00:00Z' } }), 'heliomesh', hash).reason,
    ).toBe('the object is being deleted');
  });
});
