import { getPath, isJsonObject, type JsonObject, type KubeObject } from '../api/object.types.js';
import type { FieldError } from '../api/status.util.js';
import { modelSchema } from '../schema/builtin-schema.util.js';
import type { SchemaNode } from '../schema/schema.types.js';
import { builtinColumns } from '../table/builtin-printers.js';
import {
  validateConfigData,
  validateDeployment,
  validateNamespaceUpdate,
  validatePod,
  validateReplicaSet,
  validateService,
} from '../validation/builtin-validation.util.js';
import { validateObjectMeta, type NameRule } from '../validation/metadata-validation.util.js';
import { validateCrd } from './crd-validation.util.js';
import { defaultCrd, prepareCrd } from './crd.util.js';
import {
  defaultDeployment,
  defaultNamespace,
  defaultPod,
  defaultReplicaSet,
  defaultSecret,
  defaultService,
} from './builtin-defaults.util.js';
import {
  resourceKey,
  type GenerationPolicy,
  type KindStrategy,
  type ResourceType,
} from './resource-type.types.js';

interface BuiltinDef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  model: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  statusSubresource?: boolean;
  scale?: boolean;
  generation?: GenerationPolicy;
  nameRule?: NameRule;
  allowCreateOnUpdate?: boolean;
  deleteReturnsObject?: boolean;
  selectable?: Record<string, (obj: KubeObject) => string | undefined>;
  strategy?: KindStrategy;
  validate?: (obj: JsonObject, old: KubeObject | undefined) => FieldError[];
}

function text(path: string[]): (obj: KubeObject) => string | undefined {
  return (obj) => {
    const v = getPath(obj, path);
    return v === undefined || v === null ? undefined : String(v);
  };
}

function resetStatus(status: JsonObject): (obj: JsonObject) => void {
  return (obj) => {
    obj['status'] = structuredClone(status);
  };
}

const defs: BuiltinDef[] = [
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    model: 'V1Namespace',
    namespaced: false,
    shortNames: ['ns'],
    statusSubresource: true,
    nameRule: 'label',
    selectable: { 'status.phase': text(['status', 'phase']) },
    strategy: {
      defaults: defaultNamespace,
      prepareForCreate: (obj) => {
        obj['status'] = { phase: 'Active' };
        obj['spec'] = { finalizers: ['kubernetes'] };
      },
      prepareForUpdate: (obj, old) => {
        obj['spec'] = structuredClone(old['spec'] ?? {});
      },
    },
    validate: validateNamespaceUpdate,
  },
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    kind: 'Pod',
    model: 'V1Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    statusSubresource: true,
    deleteReturnsObject: true,
    selectable: {
      'spec.nodeName': text(['spec', 'nodeName']),
      'spec.restartPolicy': text(['spec', 'restartPolicy']),
      'spec.schedulerName': text(['spec', 'schedulerName']),
      'spec.serviceAccountName': text(['spec', 'serviceAccountName']),
      'spec.hostNetwork': (o) => String(getPath(o, ['spec', 'hostNetwork']) === true),
      'status.phase': text(['status', 'phase']),
      'status.podIP': text(['status', 'podIP']),
      'status.podIPs': text(['status', 'podIP']),
      'status.nominatedNodeName': text(['status', 'nominatedNodeName']),
    },
    strategy: {
      defaults: defaultPod,
      prepareForCreate: resetStatus({ phase: 'Pending', qosClass: 'BestEffort' }),
    },
    validate: validatePod,
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    kind: 'Service',
    model: 'V1Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    statusSubresource: true,
    nameRule: 'dns1035',
    allowCreateOnUpdate: true,
    selectable: { 'spec.clusterIP': text(['spec', 'clusterIP']), 'spec.type': text(['spec', 'type']) },
    strategy: { defaults: defaultService, prepareForCreate: resetStatus({ loadBalancer: {} }) },
    validate: validateService,
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    kind: 'ConfigMap',
    model: 'V1ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    validate: validateConfigData,
  },
  {
    group: '',
    version: 'v1',
    plural: 'secrets',
    kind: 'Secret',
    model: 'V1Secret',
    namespaced: true,
    selectable: { type: text(['type']) },
    strategy: { defaults: defaultSecret },
    validate: validateConfigData,
  },
  {
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    model: 'V1ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    model: 'V1Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    statusSubresource: true,
    scale: true,
    generation: 'spec-and-annotations',
    strategy: { defaults: defaultDeployment, prepareForCreate: resetStatus({}) },
    validate: validateDeployment,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    kind: 'ReplicaSet',
    model: 'V1ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    statusSubresource: true,
    scale: true,
    generation: 'spec',
    selectable: { 'status.replicas': text(['status', 'replicas']) },
    strategy: { defaults: defaultReplicaSet, prepareForCreate: resetStatus({ replicas: 0 }) },
    validate: validateReplicaSet,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    model: 'V1CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    statusSubresource: true,
    generation: 'spec',
    strategy: { defaults: defaultCrd, prepareForCreate: prepareCrd },
    validate: validateCrd,
  },
];

function toResourceType(def: BuiltinDef): ResourceType {
  const schema: SchemaNode = modelSchema(def.model);
  const strategy: KindStrategy = { ...def.strategy };
  const nameRule = def.nameRule ?? 'subdomain';
  strategy.validate = (obj, old) => [
    ...validateObjectMeta(obj, nameRule),
    ...(def.validate?.(obj, old) ?? []),
  ];
  return {
    key: resourceKey(def.group, def.plural),
    group: def.group,
    versions: [def.version],
    storageVersion: def.version,
    plural: def.plural,
    singular: def.kind.toLowerCase(),
    kind: def.kind,
    listKind: `${def.kind}List`,
    namespaced: def.namespaced,
    shortNames: def.shortNames ?? [],
    categories: def.categories ?? [],
    statusSubresource: def.statusSubresource ?? false,
    ...(def.scale
      ? {
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        }
      : {}),
    builtin: true,
    generation: def.generation ?? 'none',
    allowCreateOnUpdate: def.allowCreateOnUpdate ?? false,
    deleteReturnsObject: def.deleteReturnsObject ?? false,
    statusUpdatesAnnotations: def.kind === 'Deployment',
    schema: () => schema,
    columns: () => builtinColumns[def.kind] ?? [],
    selectableFields: def.selectable ?? {},
    fieldSelectorErrorStyle: def.group === '' ? 'core' : 'custom',
    strategy,
  };
}

/** The built-in kinds the sandbox serves, in discovery order. */
export function builtinResourceTypes(): ResourceType[] {
  return defs.map(toResourceType);
}

export function isNamespaceObject(obj: JsonObject): boolean {
  return obj['kind'] === 'Namespace' && isJsonObject(obj['metadata']);
}
