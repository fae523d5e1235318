import type { JsonObject } from '../api/object.types.js';
import { sortVersions } from '../registry/version-order.util.js';
import { ISTIO_SCHEMAS_JSON } from './istio-schemas.gen.js';

interface IstioSchemas {
  kinds: Record<string, string>;
  specSchemas: Record<string, JsonObject>;
}

interface Column {
  name: string;
  jsonPath: string;
  type: string;
  description: string;
}

interface KindInfo {
  plural: string;
  shortNames?: string[];
  columns?: Column[];
}

const age: Column = {
  name: 'Age',
  jsonPath: '.metadata.creationTimestamp',
  type: 'date',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC. Populated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

/** Names and printer columns as istio/api's customresourcedefinitions.gen.yaml declares them. */
const kindInfo: Record<string, KindInfo> = {
  VirtualService: {
    plural: 'virtualservices',
    shortNames: ['vs'],
    columns: [
      {
        name: 'Gateways',
        jsonPath: '.spec.gateways',
        type: 'string',
        description: 'The names of gateways and sidecars that should apply these routes',
      },
      {
        name: 'Hosts',
        jsonPath: '.spec.hosts',
        type: 'string',
        description: 'The destination hosts to which traffic is being sent',
      },
      age,
    ],
  },
  DestinationRule: {
    plural: 'destinationrules',
    shortNames: ['dr'],
    columns: [
      {
        name: 'Host',
        jsonPath: '.spec.host',
        type: 'string',
        description: 'The name of a service from the service registry',
      },
      age,
    ],
  },
  Gateway: { plural: 'gateways', shortNames: ['gw'] },
  ServiceEntry: {
    plural: 'serviceentries',
    shortNames: ['se'],
    columns: [
      {
        name: 'Hosts',
        jsonPath: '.spec.hosts',
        type: 'string',
        description: 'The hosts associated with the ServiceEntry',
      },
      {
        name: 'Location',
        jsonPath: '.spec.location',
        type: 'string',
        description:
          'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)',
      },
      {
        name: 'Resolution',
        jsonPath: '.spec.resolution',
        type: 'string',
        description: 'Service resolution mode for the hosts (NONE, STATIC, or DNS)',
      },
      age,
    ],
  },
  Sidecar: { plural: 'sidecars' },
  WorkloadEntry: {
    plural: 'workloadentries',
    shortNames: ['we'],
    columns: [
      age,
      {
        name: 'Address',
        jsonPath: '.spec.address',
        type: 'string',
        description: 'Address associated with the network endpoint.',
      },
    ],
  },
  WorkloadGroup: { plural: 'workloadgroups', shortNames: ['wg'], columns: [age] },
  EnvoyFilter: { plural: 'envoyfilters' },
  AuthorizationPolicy: {
    plural: 'authorizationpolicies',
    shortNames: ['ap'],
    columns: [
      { name: 'Action', jsonPath: '.spec.action', type: 'string', description: 'The operation to take.' },
      age,
    ],
  },
  PeerAuthentication: {
    plural: 'peerauthentications',
    shortNames: ['pa'],
    columns: [
      {
        name: 'Mode',
        jsonPath: '.spec.mtls.mode',
        type: 'string',
        description: 'Defines the mTLS mode used for peer authentication.',
      },
      age,
    ],
  },
  RequestAuthentication: { plural: 'requestauthentications', shortNames: ['ra'] },
  WasmPlugin: { plural: 'wasmplugins', columns: [age] },
  Telemetry: { plural: 'telemetries', shortNames: ['telemetry'], columns: [age] },
};

/** The storage version Istio 1.29's CRDs declare per group. */
const storageVersion: Record<string, string> = {
  'networking.istio.io': 'v1alpha3',
  'security.istio.io': 'v1beta1',
  'telemetry.istio.io': 'v1alpha1',
  'extensions.istio.io': 'v1alpha1',
};

function schemas(): IstioSchemas {
  return JSON.parse(ISTIO_SCHEMAS_JSON) as IstioSchemas;
}

/**
 * The CustomResourceDefinitions of Istio's APIs, with structural schemas generated from
 * @kubernetes-models/istio (see scripts/generate-istio-schemas.mjs) and Istio's printer columns.
 */
export function istioCrds(): JsonObject[] {
  const data = schemas();
  const byKind = new Map<string, { group: string; versions: Map<string, JsonObject> }>();
  for (const [id, hash] of Object.entries(data.kinds)) {
    const [group, version, kind] = id.split('/') as [string, string, string];
    if (!kindInfo[kind]) continue;
    const entry = byKind.get(kind) ?? { group, versions: new Map() };
    entry.versions.set(version, data.specSchemas[hash]!);
    byKind.set(kind, entry);
  }
  const out: JsonObject[] = [];
  for (const [kind, { group, versions }] of byKind) {
    const info = kindInfo[kind]!;
    const names = sortVersions([...versions.keys()]);
    const storage = versions.has(storageVersion[group]!) ? storageVersion[group]! : names[0]!;
    out.push({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: `${info.plural}.${group}`,
        labels: { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' },
      },
      spec: {
        group,
        names: {
          kind,
          listKind: `${kind}List`,
          plural: info.plural,
          singular: kind.toLowerCase(),
          categories: ['istio-io', `${group.split('.')[0]}-istio-io`],
          ...(info.shortNames ? { shortNames: info.shortNames } : {}),
        },
        scope: 'Namespaced',
        versions: names.map((v) => ({
          name: v,
          served: true,
          storage: v === storage,
          subresources: { status: {} },
          ...(info.columns ? { additionalPrinterColumns: info.columns as unknown as JsonObject[] } : {}),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: versions.get(v)!,
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        })),
      },
    });
  }
  return out.sort((a, b) =>
    String((a['metadata'] as JsonObject)['name']).localeCompare(
      String((b['metadata'] as JsonObject)['name']),
    ),
  );
}
