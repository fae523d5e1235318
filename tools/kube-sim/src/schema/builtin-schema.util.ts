import * as k8s from '@kubernetes/client-node';
import type { SchemaNode } from './schema.types.js';

interface AttributeType {
  baseName: string;
  type: string;
  format: string;
}

interface ModelClass {
  attributeTypeMap?: AttributeType[];
}

const models = k8s as unknown as Record<string, ModelClass | undefined>;

function mapList(keys: string[], mergeKey: string, strategy = 'merge'): Partial<SchemaNode> {
  return {
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': keys,
    'x-kubernetes-patch-strategy': strategy,
    'x-kubernetes-patch-merge-key': mergeKey,
  };
}

const conditions = mapList(['type'], 'type');
const containerHints: Record<string, Partial<SchemaNode>> = {
  ports: mapList(['containerPort', 'protocol'], 'containerPort'),
  env: mapList(['name'], 'name'),
  volumeMounts: mapList(['mountPath'], 'mountPath'),
  volumeDevices: mapList(['devicePath'], 'devicePath'),
};

/**
 * List and map semantics of the built-in fields the sandbox serves, as upstream's OpenAPI marks them
 * (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-patch-strategy`,
 * `x-kubernetes-patch-merge-key`). The client-node models carry field names and types but not these.
 * Lists not named here are atomic, which is structured-merge-diff's default.
 */
const fieldHints: Record<string, Record<string, Partial<SchemaNode>>> = {
  V1ObjectMeta: {
    finalizers: { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
    ownerReferences: mapList(['uid'], 'uid'),
  },
  V1PodSpec: {
    containers: mapList(['name'], 'name'),
    initContainers: mapList(['name'], 'name'),
    ephemeralContainers: mapList(['name'], 'name'),
    volumes: mapList(['name'], 'name', 'merge,retainKeys'),
    imagePullSecrets: mapList(['name'], 'name'),
    hostAliases: mapList(['ip'], 'ip'),
    topologySpreadConstraints: mapList(['topologyKey', 'whenUnsatisfiable'], 'topologyKey'),
    resourceClaims: mapList(['name'], 'name', 'merge,retainKeys'),
    schedulingGates: mapList(['name'], 'name'),
  },
  V1Container: containerHints,
  V1EphemeralContainer: containerHints,
  V1ServiceSpec: {
    ports: mapList(['port', 'protocol'], 'port'),
    selector: { 'x-kubernetes-map-type': 'atomic' },
  },
  V1DeploymentSpec: { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  V1DeploymentStatus: { conditions },
  V1ReplicaSetStatus: { conditions },
  V1PodStatus: { conditions, podIPs: mapList(['ip'], 'ip'), hostIPs: mapList(['ip'], 'ip') },
  V1NamespaceStatus: { conditions },
  V1ServiceStatus: { conditions },
  V1CustomResourceDefinitionStatus: { conditions },
  V1ServiceAccount: { secrets: mapList(['name'], 'name') },
};

/** Whole types that structured-merge-diff treats as one value. */
const atomicTypes = new Set([
  'V1LabelSelector',
  'V1LocalObjectReference',
  'V1ObjectReference',
  'V1NodeSelector',
]);

/** Defaults of list-map key fields (SSA fills a missing key field from its schema default). */
const keyDefaults: Record<string, Record<string, unknown>> = {
  V1ContainerPort: { protocol: 'TCP' },
  V1ServicePort: { protocol: 'TCP' },
};

const cache = new Map<string, SchemaNode>();

function scalarSchema(type: string, format: string): SchemaNode | undefined {
  switch (type) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return format === 'double' || format === 'float' ? { type: 'number' } : { type: 'integer', format };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true };
    case 'any':
      return { 'x-kubernetes-preserve-unknown-fields': true };
    default:
      return undefined;
  }
}

function typeSchema(type: string, format: string): SchemaNode {
  const scalar = scalarSchema(type, format);
  if (scalar) return scalar;
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) return { type: 'array', items: typeSchema(arr[1]!, format) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1]!, format) };
  return modelSchema(type);
}

/**
 * The structural schema of a client-node model class (e.g. `V1Deployment`), built from its
 * `attributeTypeMap` and annotated with the list semantics above. Recursive types share nodes.
 */
export function modelSchema(name: string): SchemaNode {
  const cached = cache.get(name);
  if (cached) return cached;
  const model = models[name];
  if (!model?.attributeTypeMap) return { 'x-kubernetes-preserve-unknown-fields': true };
  const node: SchemaNode = { type: 'object', properties: {} };
  if (atomicTypes.has(name)) node['x-kubernetes-map-type'] = 'atomic';
  cache.set(name, node);
  const hints = fieldHints[name] ?? {};
  const defaults = keyDefaults[name] ?? {};
  for (const attr of model.attributeTypeMap) {
    const child = { ...typeSchema(attr.type, attr.format), ...(hints[attr.baseName] ?? {}) };
    if (attr.baseName in defaults) child.default = defaults[attr.baseName];
    node.properties![attr.baseName] = child;
  }
  return node;
}
