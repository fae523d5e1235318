import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../src/index.js';
import { eventually, startSandbox, type RawApi } from './sandbox.helpers.js';

let sim: KubeSim;
let api: RawApi;

beforeAll(async () => {
  ({ sim, api } = await startSandbox({ controllers: false }));
});

afterAll(async () => {
  await sim.stop();
});

const aggregatedAccept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

function gizmoCrd(versions: string[]): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gizmos.toys.example.com' },
    spec: {
      group: 'toys.example.com',
      names: { kind: 'Gizmo', plural: 'gizmos' },
      scope: 'Namespaced',
      versions: versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  size: { type: 'integer', default: 1 },
                  tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                },
              },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      })),
    },
  };
}

describe('discovery and OpenAPI', () => {
  it('serves /version, health and legacy discovery in kube-apiserver order', async () => {
    expect((await api.get('/version')).body).toMatchObject({
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.0',
    });
    for (const p of ['/healthz', '/livez', '/readyz']) expect((await api.get(p)).text).toBe('ok');
    expect((await api.get('/api')).body).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [
        { clientCIDR: '0.0.0.0/0', serverAddress: sim.url.slice('http://'.length) },
      ],
    });
    const groups = (
      (await api.get('/apis')).body as {
        groups: Array<{
          name: string;
          preferredVersion: { version: string };
          versions: Array<{ version: string }>;
        }>;
      }
    ).groups;
    expect(groups.map((g) => g.name)).toEqual([
      'apps',
      'apiextensions.k8s.io',
      'extensions.istio.io',
      'networking.istio.io',
      'security.istio.io',
      'telemetry.istio.io',
    ]);
    const networking = groups.find((g) => g.name === 'networking.istio.io')!;
    expect(networking.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1', 'v1alpha3']);
    expect(networking.preferredVersion.version).toBe('v1');
  });

  it('lists resources sorted by name, subresources as their own entries', async () => {
    const list = (await api.get('/apis/apps/v1')).body as {
      groupVersion: string;
      resources: Array<Record<string, unknown>>;
    };
    expect(list.groupVersion).toBe('apps/v1');
    expect(list.resources.map((r) => r['name'])).toEqual([
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
    ]);
    expect(list.resources[0]).toEqual({
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
    });
    expect(list.resources[1]).toMatchObject({
      name: 'deployments/scale',
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    const vs = (
      (await api.get('/apis/networking.istio.io/v1alpha3')).body as {
        resources: Array<Record<string, unknown>>;
      }
    ).resources;
    expect(vs.find((r) => r['name'] === 'envoyfilters')).toBeDefined();
    expect((await api.get('/apis/networking.istio.io/v1')).body).not.toMatchObject({
      resources: expect.arrayContaining([expect.objectContaining({ name: 'envoyfilters' })]),
    });
  });

  it('answers aggregated discovery when asked, with its content type', async () => {
    const r = await api.get('/apis', { Accept: aggregatedAccept });
    expect(r.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const doc = r.body as {
      kind: string;
      items: Array<{
        metadata: { name: string };
        versions: Array<{ version: string; freshness: string; resources: Array<Record<string, unknown>> }>;
      }>;
    };
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    const apps = doc.items.find((i) => i.metadata.name === 'apps')!;
    expect(apps.versions[0]!.resources[0]).toMatchObject({
      resource: 'deployments',
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } },
        { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' } },
      ],
    });
    const legacy = (await api.get('/api', { Accept: aggregatedAccept })).body as {
      items: Array<{ metadata: object }>;
    };
    expect(legacy.items).toHaveLength(1);
    expect(legacy.items[0]!.metadata).toEqual({});
    expect((await api.get('/api', { Accept: 'application/vnd.kubernetes.protobuf' })).status).toBe(406);
  });

  it('serves a minimal /openapi/v3 that lets kubectl leave validation to the server; /openapi/v2 is 404', async () => {
    const root = (await api.get('/openapi/v3')).body as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    expect(root.paths['api/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    const doc = (await api.get(root.paths['apis/networking.istio.io/v1']!.serverRelativeURL)).body as {
      paths: Record<string, { patch?: Record<string, unknown> }>;
    };
    const patch =
      doc.paths['/apis/networking.istio.io/v1/namespaces/{namespace}/virtualservices/{name}']!.patch!;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'networking.istio.io',
      version: 'v1',
      kind: 'VirtualService',
    });
    expect(patch['parameters']).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'fieldValidation', in: 'query' })]),
    );
    expect((await api.get('/openapi/v2')).status).toBe(404);
  });
});

describe('user CustomResourceDefinitions', () => {
  it('registers at once: Established status, discovery, OpenAPI, CRUD with defaults and pruning, conversion None', async () => {
    const hashBefore = ((await api.get('/openapi/v3')).body as { paths: Record<string, unknown> }).paths[
      'apis/toys.example.com/v1'
    ];
    expect(hashBefore).toBeUndefined();
    const created = await api.post(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      gizmoCrd(['v1', 'v1beta1']),
    );
    expect(created.status).toBe(201);
    const crd = created.body as {
      metadata: { finalizers: string[] };
      spec: { names: Record<string, string> };
      status: { conditions: Array<{ type: string; status: string }>; storedVersions: string[] };
    };
    expect(crd.spec.names).toMatchObject({ singular: 'gizmo', listKind: 'GizmoList' });
    expect(crd.status.conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      'NamesAccepted=True',
      'Established=True',
    ]);
    expect(crd.status.storedVersions).toEqual(['v1']);
    expect(crd.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(
      (
        (await api.get('/apis/toys.example.com/v1')).body as { resources: Array<{ name: string }> }
      ).resources.map((r) => r.name),
    ).toEqual(['gizmos', 'gizmos/status']);
    expect(
      ((await api.get('/openapi/v3')).body as { paths: Record<string, unknown> }).paths[
        'apis/toys.example.com/v1'
      ],
    ).toBeDefined();

    await api.post('/api/v1/namespaces', { metadata: { name: 'toys' } });
    const gizmo = await api.post('/apis/toys.example.com/v1/namespaces/toys/gizmos', {
      apiVersion: 'toys.example.com/v1',
      kind: 'Gizmo',
      metadata: { name: 'g1' },
      spec: { tags: ['x'], extra: true },
      status: { ignored: true },
    });
    expect(gizmo.status).toBe(201);
    expect(gizmo.headers.get('warning')).toBe('299 - "unknown field \\"spec.extra\\""');
    expect(gizmo.body).toMatchObject({ spec: { size: 1, tags: ['x'] } });
    expect((gizmo.body as Record<string, unknown>)['status']).toBeUndefined();
    const beta = (await api.get('/apis/toys.example.com/v1beta1/namespaces/toys/gizmos/g1')).body as {
      apiVersion: string;
      spec: unknown;
    };
    expect(beta.apiVersion).toBe('toys.example.com/v1beta1');
    expect(beta.spec).toEqual({ size: 1, tags: ['x'] });
    const wrongType = await api.post('/apis/toys.example.com/v1/namespaces/toys/gizmos', {
      apiVersion: 'toys.example.com/v1',
      kind: 'Gizmo',
      metadata: { name: 'g2' },
      spec: { size: 'big', tags: ['a', 'a'] },
    });
    expect(wrongType.status).toBe(422);
    expect(
      (wrongType.body as { details: { causes: Array<{ field: string }> } }).details.causes.map(
        (c) => c.field,
      ),
    ).toEqual(['spec.size', 'spec.tags[1]']);
  });

  it('rejects invalid CRDs with 422', async () => {
    const noStorage = gizmoCrd(['v1']);
    (noStorage['spec'] as { versions: Array<Record<string, unknown>> }).versions[0]!['storage'] = false;
    (noStorage['metadata'] as Record<string, string>)['name'] = 'things.toys.example.com';
    const r = await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', noStorage);
    expect(r.status).toBe(422);
    expect((r.body as { message: string }).message).toContain('spec.versions: Invalid value');
    expect((r.body as { message: string }).message).toContain(
      'must have exactly one version marked as storage version',
    );
    expect((r.body as { message: string }).message).toContain(
      'metadata.name: Invalid value: "things.toys.example.com": must be spec.names.plural+"."+spec.group',
    );
  });

  it('deleting the CRD removes its custom resources and endpoints', async () => {
    expect(
      (await api.delete('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.toys.example.com'))
        .status,
    ).toBe(200);
    await eventually(
      async () =>
        (await api.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.toys.example.com'))
          .status === 404,
    );
    expect((await api.get('/apis/toys.example.com/v1')).status).toBe(404);
    expect((await api.get('/apis/toys.example.com/v1/namespaces/toys/gizmos')).status).toBe(404);
    expect(
      ((await api.get('/apis')).body as { groups: Array<{ name: string }> }).groups.map((g) => g.name),
    ).not.toContain('toys.example.com');
  });
});
