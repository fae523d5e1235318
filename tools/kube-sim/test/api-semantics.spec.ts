import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../src/index.js';
import { startSandbox, uniqueName, type RawApi } from './sandbox.helpers.js';

interface Meta {
  name: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  labels?: Record<string, string>;
  managedFields?: Array<{ manager: string; operation: string; fieldsV1: unknown; time: string }>;
}

interface Obj {
  metadata: Meta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
}

let sim: KubeSim;
let api: RawApi;
let ns: string;

beforeAll(async () => {
  ({ sim, api } = await startSandbox({ controllers: false }));
  ns = uniqueName('sem');
  await api.post('/api/v1/namespaces', { metadata: { name: ns } });
});

afterAll(async () => {
  await sim.stop();
});

const vsPath = () => `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices`;
const vs = (name: string, hosts: string[] = ['a']) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name },
  spec: { hosts },
});

describe('object metadata and writes', () => {
  it('create fills uid, timestamps, resourceVersion, managedFields and generateName', async () => {
    const r = await api.post(`/api/v1/namespaces/${ns}/configmaps?fieldManager=tester`, {
      metadata: { generateName: 'gen-' },
      data: { k: 'v' },
    });
    expect(r.status).toBe(201);
    const m = (r.body as Obj).metadata;
    expect(m.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(m.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(m.resourceVersion)).toBe(sim.resourceVersion());
    expect(m.generation).toBeUndefined();
    // generateName is tracked, as on a real server (pods created by a ReplicaSet show f:generateName).
    expect(m.managedFields).toEqual([
      {
        manager: 'tester',
        operation: 'Update',
        apiVersion: 'v1',
        time: m.creationTimestamp,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:k': {} }, 'f:metadata': { 'f:generateName': {} } },
      },
    ]);
  });

  it('tracks generation per kind: custom resources bump on spec changes only; status writes never', async () => {
    const created = (await api.post(vsPath(), vs('gen'))).body as Obj;
    expect(created.metadata.generation).toBe(1);
    const labelled = (
      await api.patch(`${vsPath()}/gen`, 'application/merge-patch+json', { metadata: { labels: { a: 'b' } } })
    ).body as Obj;
    expect(labelled.metadata.generation).toBe(1);
    const specced = (
      await api.patch(`${vsPath()}/gen`, 'application/merge-patch+json', { spec: { hosts: ['b'] } })
    ).body as Obj;
    expect(specced.metadata.generation).toBe(2);
    const status = (
      await api.patch(`${vsPath()}/gen/status`, 'application/merge-patch+json', {
        status: { observedGeneration: 2 },
        spec: { hosts: ['ignored'] },
      })
    ).body as Obj;
    expect(status.metadata.generation).toBe(2);
    expect(status.spec).toEqual({ hosts: ['b'] });
    expect(status.status).toEqual({ observedGeneration: 2 });
    const mainWithStatus = (
      await api.patch(`${vsPath()}/gen`, 'application/merge-patch+json', {
        status: { observedGeneration: 9 },
      })
    ).body as Obj;
    expect(mainWithStatus.status).toEqual({ observedGeneration: 2 });
    expect(mainWithStatus.metadata.resourceVersion).toBe(status.metadata.resourceVersion);
  });

  it('update: custom resources need a resourceVersion, stale ones conflict, Services create on PUT, no-ops keep the resourceVersion', async () => {
    const created = (await api.post(vsPath(), vs('upd'))).body as Obj;
    const noRv = await api.put(`${vsPath()}/upd`, vs('upd', ['b']));
    expect(noRv.status).toBe(422);
    expect((noRv.body as { message: string }).message).toBe(
      'VirtualService.networking.istio.io "upd" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
    const ok = await api.put(`${vsPath()}/upd`, {
      ...vs('upd', ['b']),
      metadata: { name: 'upd', resourceVersion: created.metadata.resourceVersion },
    });
    expect(ok.status).toBe(200);
    expect(
      (
        await api.put(`${vsPath()}/upd`, {
          ...vs('upd', ['c']),
          metadata: { name: 'upd', resourceVersion: created.metadata.resourceVersion },
        })
      ).status,
    ).toBe(409);
    const rv = sim.resourceVersion();
    const same = await api.put(`${vsPath()}/upd`, {
      ...vs('upd', ['b']),
      metadata: { name: 'upd', resourceVersion: (ok.body as Obj).metadata.resourceVersion },
    });
    expect((same.body as Obj).metadata.resourceVersion).toBe((ok.body as Obj).metadata.resourceVersion);
    expect(sim.resourceVersion()).toBe(rv);
    const svc = await api.put(`/api/v1/namespaces/${ns}/services/made-by-put`, {
      metadata: { name: 'made-by-put' },
      spec: { ports: [{ port: 80 }] },
    });
    expect(svc.status).toBe(201);
    expect(
      (await api.put(`/api/v1/namespaces/${ns}/configmaps/nope`, { metadata: { name: 'nope' } })).status,
    ).toBe(404);
    expect(
      (await api.put(`/api/v1/namespaces/${ns}/configmaps/nope`, { metadata: { name: 'other' } })).status,
    ).toBe(400);
  });

  it('dryRun=All validates and answers but stores nothing', async () => {
    const rv = sim.resourceVersion();
    const created = await api.post(`/api/v1/namespaces/${ns}/configmaps?dryRun=All`, {
      metadata: { name: 'dry' },
    });
    expect(created.status).toBe(201);
    expect((created.body as Obj).metadata.uid).toBeDefined();
    expect((await api.get(`/api/v1/namespaces/${ns}/configmaps/dry`)).status).toBe(404);
    const invalid = await api.post(`/api/v1/namespaces/${ns}/configmaps?dryRun=All`, {
      metadata: { name: 'Bad_Name' },
    });
    expect(invalid.status).toBe(422);
    expect(sim.resourceVersion()).toBe(rv);
    expect(
      (await api.post(`/api/v1/namespaces/${ns}/configmaps?dryRun=Some`, { metadata: { name: 'x' } })).status,
    ).toBe(400);
  });

  it('fieldValidation: Strict rejects, Warn drops with a Warning header, Ignore drops silently', async () => {
    const body = (name: string) => ({
      metadata: { name },
      data: { a: 'b' },
      bogus: 1,
      spec: { nested: true },
    });
    const strict = await api.post(`/api/v1/namespaces/${ns}/configmaps?fieldValidation=Strict`, body('s'));
    expect(strict.status).toBe(400);
    expect((strict.body as { message: string }).message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus", unknown field "spec"',
    );
    const warn = await api.post(`/api/v1/namespaces/${ns}/configmaps`, body('w'));
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toBe(
      '299 - "unknown field \\"bogus\\"", 299 - "unknown field \\"spec\\""',
    );
    expect(Object.keys(warn.body as object).sort()).toEqual(['apiVersion', 'data', 'kind', 'metadata']);
    const ignore = await api.post(`/api/v1/namespaces/${ns}/configmaps?fieldValidation=Ignore`, body('i'));
    expect(ignore.headers.get('warning')).toBeNull();
    const withNulls = await api.post(`/api/v1/namespaces/${ns}/pods?fieldValidation=Strict`, {
      metadata: { name: 'nulls', creationTimestamp: null },
      spec: { containers: [{ name: 'c', image: 'i', resources: {} }], nodeSelector: null },
      status: {},
    });
    expect(withNulls.status).toBe(201);
    expect((withNulls.body as Obj).spec!['nodeSelector']).toBeUndefined();
    const wrongType = await api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name: 'typed' },
      spec: { replicas: 'three' },
    });
    expect(wrongType.status).toBe(400);
    expect((wrongType.body as { message: string }).message).toContain(
      'json: cannot unmarshal string into Go struct field .spec.replicas of type int32',
    );
  });

  it('validates Istio objects with the Istio 1.29 schemas (422 with causes)', async () => {
    const bad = await api.post(vsPath(), {
      ...vs('bad-vs'),
      spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' }, weight: 'ten' }] }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      reason: 'Invalid',
      message:
        'VirtualService.networking.istio.io "bad-vs" is invalid: spec.http[0].route[0].weight: Invalid value: "string": spec.http[0].route[0].weight in body must be of type integer: "string"',
      details: {
        kind: 'VirtualService',
        group: 'networking.istio.io',
        causes: [{ reason: 'FieldValueInvalid', field: 'spec.http[0].route[0].weight' }],
      },
    });
    const badEnum = await api.post(`/apis/security.istio.io/v1/namespaces/${ns}/authorizationpolicies`, {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'ap' },
      spec: { action: 'MAYBE' },
    });
    expect(badEnum.status).toBe(422);
    expect((badEnum.body as { message: string }).message).toContain(
      'spec.action: Unsupported value: "MAYBE": supported values: "ALLOW", "DENY", "AUDIT", "CUSTOM"',
    );
  });
});

describe('list', () => {
  it('pages with limit and continue, in key order, with remainingItemCount', async () => {
    const base = `/api/v1/namespaces/${ns}/secrets`;
    for (const name of ['s-c', 's-a', 's-b', 's-d'])
      await api.post(base, { metadata: { name, labels: { page: 'yes' } } });
    const first = (await api.get(`${base}?limit=3`)).body as {
      metadata: { continue: string; remainingItemCount: number; resourceVersion: string };
      items: Obj[];
    };
    expect(first.items.map((i) => i.metadata.name)).toEqual(['s-a', 's-b', 's-c']);
    expect(first.metadata.remainingItemCount).toBe(1);
    const second = (await api.get(`${base}?limit=3&continue=${encodeURIComponent(first.metadata.continue)}`))
      .body as { metadata: Record<string, unknown>; items: Obj[] };
    expect(second.items.map((i) => i.metadata.name)).toEqual(['s-d']);
    expect(second.metadata['continue']).toBeUndefined();
    expect(second.metadata['resourceVersion']).toBe(first.metadata.resourceVersion);
    const selected = (await api.get(`${base}?labelSelector=page%3Dyes&limit=1`)).body as {
      metadata: Record<string, unknown>;
    };
    expect(selected.metadata['remainingItemCount']).toBeUndefined();
    expect((await api.get(`${base}?labelSelector=a%20in%20()`)).status).toBe(400);
    expect((await api.get(`${base}?resourceVersion=999999999`)).status).toBe(504);
    expect((await api.get(`${base}?continue=garbage`)).status).toBe(400);
    // Without a namespace a namespaced resource is only a cluster-wide list or watch.
    expect(
      ((await api.get('/api/v1/secrets')).body as { items: unknown[] }).items.length,
    ).toBeGreaterThanOrEqual(4);
    expect((await api.post('/api/v1/secrets', { metadata: { name: 'x', namespace: ns } })).status).toBe(405);
    expect((await api.get('/api/v1/secrets/s-a')).status).toBe(404);
  });

  it('omits kind/apiVersion on items of built-in lists and keeps them for custom resources', async () => {
    const builtins = (await api.get(`/api/v1/namespaces/${ns}/secrets`)).body as {
      kind: string;
      apiVersion: string;
      items: Array<Record<string, unknown>>;
    };
    expect(builtins.kind).toBe('SecretList');
    expect(builtins.items[0]!['kind']).toBeUndefined();
    await api.post(vsPath(), vs('listed'));
    const custom = (await api.get(vsPath())).body as { kind: string; items: Array<Record<string, unknown>> };
    expect(custom.kind).toBe('VirtualServiceList');
    expect(custom.items[0]!['kind']).toBe('VirtualService');
  });
});

describe('patches', () => {
  it('JSON patch: failed test is 422, malformed is 400; force is only for apply', async () => {
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'jp' }, data: { a: '1' } });
    const failed = await api.patch(`/api/v1/namespaces/${ns}/configmaps/jp`, 'application/json-patch+json', [
      { op: 'remove', path: '/data/missing' },
    ]);
    expect(failed.status).toBe(422);
    expect(
      (
        await api.patch(`/api/v1/namespaces/${ns}/configmaps/jp`, 'application/json-patch+json', {
          op: 'add',
        })
      ).status,
    ).toBe(400);
    const force = await api.patch(
      `/api/v1/namespaces/${ns}/configmaps/jp?force=true`,
      'application/merge-patch+json',
      { data: { a: '2' } },
    );
    expect(force.status).toBe(422);
    expect((force.body as { message: string }).message).toContain(
      'force: Forbidden: may not be specified for non-apply patch',
    );
    expect((await api.patch(`/api/v1/namespaces/${ns}/configmaps/jp`, 'text/plain', 'x')).status).toBe(415);
  });

  it('strategic merge patch merges containers by name and honours $patch: delete', async () => {
    const pod = {
      metadata: { name: 'smp' },
      spec: {
        containers: [
          { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
          { name: 'b', image: 'b:1' },
        ],
      },
    };
    await api.post(`/api/v1/namespaces/${ns}/pods`, pod);
    const patched = await api.patch(
      `/api/v1/namespaces/${ns}/pods/smp`,
      'application/strategic-merge-patch+json',
      {
        spec: {
          containers: [
            { name: 'a', image: 'a:2', env: [{ name: 'Y', value: '2' }] },
            { name: 'b', $patch: 'delete' },
          ],
        },
      },
    );
    expect(patched.status).toBe(422);
    expect((patched.body as { message: string }).message).toContain(
      'pod updates may not change fields other than',
    );
    const imageOnly = await api.patch(
      `/api/v1/namespaces/${ns}/pods/smp`,
      'application/strategic-merge-patch+json',
      { spec: { containers: [{ name: 'b', image: 'b:2' }] } },
    );
    const containers = (imageOnly.body as Obj).spec!['containers'] as Array<{
      name: string;
      image: string;
      env?: unknown;
    }>;
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['a=a:1', 'b=b:2']);
    expect(containers[0]!.env).toEqual([{ name: 'X', value: '1' }]);
    await api.post(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'fin', finalizers: ['a/b'] } });
    const fin = await api.patch(
      `/api/v1/namespaces/${ns}/configmaps/fin`,
      'application/strategic-merge-patch+json',
      { metadata: { finalizers: ['c/d'] } },
    );
    expect((fin.body as { metadata: { finalizers: string[] } }).metadata.finalizers).toEqual(['a/b', 'c/d']);
  });

  it('server-side apply removes fields a manager stops applying, unless another manager owns them', async () => {
    const path = `${vsPath()}/owned`;
    const apply = (manager: string, labels: Record<string, string>) =>
      api.patch(`${path}?fieldManager=${manager}`, 'application/apply-patch+yaml', {
        ...vs('owned'),
        metadata: { name: 'owned', labels },
      });
    expect((await apply('m1', { a: '1', b: '2' })).status).toBe(201);
    expect((await apply('m2', { b: '2' })).status).toBe(200);
    const after = (await apply('m1', {})).body as Obj;
    expect(after.metadata.labels).toEqual({ b: '2' });
    expect(after.metadata.managedFields!.map((m) => m.manager)).toEqual(['m1', 'm2']);
    // spec.hosts is co-owned by m1 and m2 (same value): changing it is a conflict with m2.
    const yaml =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: owned\nspec:\n  hosts: [yaml-host]\n';
    const viaYaml = await api.request('PATCH', `${path}?fieldManager=m1`, yaml, {
      'Content-Type': 'application/apply-patch+yaml',
    });
    expect(viaYaml.status).toBe(409);
    expect((viaYaml.body as { message: string }).message).toBe(
      'Apply failed with 1 conflict: conflict with "m2": .spec.hosts',
    );
    const forced = await api.request('PATCH', `${path}?fieldManager=m1&force=true`, yaml, {
      'Content-Type': 'application/apply-patch+yaml',
    });
    expect((forced.body as Obj).spec).toEqual({ hosts: ['yaml-host'] });
    const managed = await api.request(
      'PATCH',
      `${path}?fieldManager=m1`,
      { ...vs('owned'), metadata: { name: 'owned', managedFields: [] } },
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    expect(managed.status).toBe(400);
  });

  it('a non-apply write may rewrite managedFields (the kubectl client-side-apply upgrade path)', async () => {
    await api.post(`/api/v1/namespaces/${ns}/configmaps?fieldManager=kubectl-client-side-apply`, {
      metadata: { name: 'csa' },
      data: { a: '1' },
    });
    const live = (await api.get(`/api/v1/namespaces/${ns}/configmaps/csa`)).body as Obj;
    const rewritten = live.metadata.managedFields!.map((m) => ({
      ...m,
      manager: 'kubectl',
      operation: 'Apply',
    }));
    const r = await api.patch(`/api/v1/namespaces/${ns}/configmaps/csa`, 'application/json-patch+json', [
      { op: 'test', path: '/metadata/resourceVersion', value: live.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/managedFields', value: rewritten },
    ]);
    expect(r.status).toBe(200);
    expect((r.body as Obj).metadata.managedFields!.map((m) => `${m.manager}/${m.operation}`)).toEqual([
      'kubectl/Apply',
    ]);
  });
});
