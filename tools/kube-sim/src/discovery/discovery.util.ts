import type { JsonObject } from '../api/object.types.js';
import type { ResourceRegistry } from '../registry/resource.registry.js';
import { groupVersion, type ResourceType } from '../registry/resource-type.types.js';

const crudVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const subVerbs = ['get', 'patch', 'update'];

function verbsOf(rt: ResourceType): string[] {
  // Namespaces have no deletecollection upstream.
  return rt.key === '/namespaces' ? crudVerbs.filter((v) => v !== 'deletecollection') : crudVerbs;
}

function subresourcesOf(
  rt: ResourceType,
): Array<{ name: string; kind: string; group?: string; version?: string }> {
  const out: Array<{ name: string; kind: string; group?: string; version?: string }> = [];
  if (rt.scale) out.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1' });
  if (rt.statusSubresource) out.push({ name: 'status', kind: rt.kind });
  return out;
}

/** `GET /api/v1` or `/apis/G/V`: an APIResourceList sorted by name (client-node takes the first kind match). */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): JsonObject | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const rt of types) {
    resources.push({
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: verbsOf(rt),
      ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
      ...(rt.categories.length ? { categories: rt.categories } : {}),
    });
    for (const sub of subresourcesOf(rt))
      resources.push({
        name: `${rt.plural}/${sub.name}`,
        singularName: '',
        namespaced: rt.namespaced,
        ...(sub.group ? { group: sub.group, version: sub.version! } : {}),
        kind: sub.kind,
        verbs: subVerbs,
      });
  }
  resources.sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}

export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(name: string, versions: string[]): JsonObject {
  const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gvs, preferredVersion: gvs[0]! };
}

export function apiGroupList(registry: ResourceRegistry): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.name !== '')
      .map((g) => apiGroup(g.name, g.versions)),
  };
}

export function apiGroupDoc(registry: ResourceRegistry, name: string): JsonObject | undefined {
  const g = registry.groups().find((x) => x.name === name && name !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) } : undefined;
}

function aggregatedResource(rt: ResourceType, version: string): JsonObject {
  return {
    resource: rt.plural,
    responseKind: { group: rt.group, version, kind: rt.kind },
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
    verbs: verbsOf(rt),
    ...(rt.shortNames.length ? { shortNames: rt.shortNames } : {}),
    ...(rt.categories.length ? { categories: rt.categories } : {}),
    ...(subresourcesOf(rt).length
      ? {
          subresources: subresourcesOf(rt).map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? rt.group, version: s.version ?? version, kind: s.kind },
            verbs: subVerbs,
          })),
        }
      : {}),
  };
}

/** Aggregated discovery (apidiscovery.k8s.io v2/v2beta1) for `/api` (legacy) or `/apis` (groups). */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  legacy: boolean,
  version: 'v2' | 'v2beta1',
): JsonObject {
  const groups = registry.groups().filter((g) => (legacy ? g.name === '' : g.name !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: (g.name ? { name: g.name } : {}) as JsonObject,
      versions: g.versions.map((v) => ({
        version: v,
        resources: registry.inGroupVersion(g.name, v).map((rt) => aggregatedResource(rt, v)),
        freshness: 'Current',
      })),
    })),
  };
}
