import {
  getPath,
  isJsonObject,
  nowTimestamp,
  type JsonObject,
  type JsonValue,
  type KubeObject,
} from '../api/object.types.js';
import type { FieldError } from '../api/status.util.js';
import { modelSchema } from '../schema/builtin-schema.util.js';
import type { SchemaNode } from '../schema/schema.types.js';
import { schemaFromJson, validateStructural } from '../schema/structural.util.js';
import { age } from '../table/human-duration.util.js';
import { evalJsonPath, parseJsonPath } from '../table/jsonpath.util.js';
import { validateObjectMeta } from '../validation/metadata-validation.util.js';
import {
  resourceKey,
  type PrinterColumn,
  type ResourceType,
  type ScaleSubresource,
} from './resource-type.types.js';
import { sortVersions } from './version-order.util.js';

/** Validates a custom resource of one version; Istio kinds plug in their precompiled validators. */
export type CustomValidator = (obj: JsonObject, group: string, version: string) => FieldError[] | undefined;

function str(v: JsonValue | undefined, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

function strList(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function versionsOf(crd: JsonObject): JsonObject[] {
  const v = getPath(crd, ['spec', 'versions']);
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

/** Defaults the apiextensions API applies to a CRD (names, conversion). */
export function defaultCrd(crd: JsonObject): void {
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {};
  const names = isJsonObject(spec['names']) ? spec['names'] : {};
  const kind = str(names['kind']);
  if (kind) {
    if (!names['singular']) names['singular'] = kind.toLowerCase();
    if (!names['listKind']) names['listKind'] = `${kind}List`;
  }
  spec['names'] = names;
  if (!isJsonObject(spec['conversion'])) spec['conversion'] = { strategy: 'None' };
  crd['spec'] = spec;
}

/** Deleting a CRD first removes its custom resources; this finalizer holds the CRD until then. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/**
 * What the CRD controllers do right after creation: accept the names and mark the CRD Established,
 * so `kubectl wait --for condition=established` returns at once.
 */
export function prepareCrd(crd: JsonObject): void {
  const names = getPath(crd, ['spec', 'names']);
  const storage = versionsOf(crd).find((v) => v['storage'] === true);
  const time = nowTimestamp();
  const meta = isJsonObject(crd['metadata']) ? crd['metadata'] : {};
  const finalizers = Array.isArray(meta['finalizers']) ? meta['finalizers'] : [];
  if (!finalizers.includes(CRD_CLEANUP_FINALIZER))
    meta['finalizers'] = [...finalizers, CRD_CLEANUP_FINALIZER];
  crd['metadata'] = meta;
  crd['status'] = {
    acceptedNames: isJsonObject(names) ? structuredClone(names) : {},
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: time,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: time,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: storage ? [str(storage['name'])] : [],
  };
}

function cellOf(value: JsonValue[], type: string, now: Date): string | number | boolean | null {
  if (value.length === 0) return null;
  const v = value.length === 1 ? value[0]! : value;
  switch (type) {
    case 'date':
      return age(v, now);
    case 'integer':
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    default:
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

function crdColumns(version: JsonObject): PrinterColumn[] {
  const nameCol: PrinterColumn = {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace.',
    priority: 0,
    cell: (o) => o.metadata.name,
  };
  const defs = Array.isArray(version['additionalPrinterColumns'])
    ? version['additionalPrinterColumns'].filter(isJsonObject)
    : [];
  if (defs.length === 0)
    return [
      nameCol,
      {
        name: 'Age',
        type: 'date',
        format: '',
        description:
          'CreationTimestamp is a timestamp representing the server time when this object was created.',
        priority: 0,
        cell: (o, now) => age(o.metadata.creationTimestamp, now),
      },
    ];
  return [
    nameCol,
    ...defs.map((d): PrinterColumn => {
      const steps = parseJsonPath(str(d['jsonPath']));
      const type = str(d['type'], 'string');
      return {
        name: str(d['name']),
        type,
        format: str(d['format']),
        description: str(d['description']),
        priority: typeof d['priority'] === 'number' ? d['priority'] : 0,
        cell: (o, now) => (steps ? cellOf(evalJsonPath(o, steps), type, now) : null),
      };
    }),
  ];
}

/** The root schema of one CRD version, with ObjectMeta in place of the usual `metadata: {type: object}`. */
function rootSchema(version: JsonObject): SchemaNode {
  const raw = getPath(version, ['schema', 'openAPIV3Schema']);
  const base = isJsonObject(raw)
    ? schemaFromJson(raw)
    : { type: 'object' as const, 'x-kubernetes-preserve-unknown-fields': true };
  return {
    ...base,
    type: 'object',
    properties: {
      ...(base.properties ?? {}),
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: modelSchema('V1ObjectMeta'),
    },
  };
}

function selectableFields(version: JsonObject): Record<string, (obj: KubeObject) => string | undefined> {
  const out: Record<string, (obj: KubeObject) => string | undefined> = {};
  const defs = Array.isArray(version['selectableFields'])
    ? version['selectableFields'].filter(isJsonObject)
    : [];
  for (const d of defs) {
    const path = str(d['jsonPath']);
    const steps = parseJsonPath(path);
    if (!steps) continue;
    out[path.replace(/^\./, '')] = (o) => {
      const [v] = evalJsonPath(o, steps);
      return v === undefined || v === null ? undefined : String(v);
    };
  }
  return out;
}

function scaleOf(scale: JsonValue | undefined): { scale?: ScaleSubresource } {
  if (!isJsonObject(scale)) return {};
  const labelSelectorPath = str(scale['labelSelectorPath']);
  return {
    scale: {
      specReplicasPath: str(scale['specReplicasPath']),
      statusReplicasPath: str(scale['statusReplicasPath']),
      ...(labelSelectorPath ? { labelSelectorPath } : {}),
    },
  };
}

/** The resource a CRD defines, as the sandbox serves it once the CRD is Established. */
export function crdResourceType(crd: KubeObject, customValidator?: CustomValidator): ResourceType {
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {};
  const names = isJsonObject(spec['names']) ? spec['names'] : {};
  const group = str(spec['group']);
  const plural = str(names['plural']);
  const kind = str(names['kind']);
  const versions = versionsOf(crd);
  const served = versions.filter((v) => v['served'] !== false);
  const byName = new Map(versions.map((v) => [str(v['name']), v]));
  const storage = versions.find((v) => v['storage'] === true) ?? versions[0] ?? {};
  const schemas = new Map(versions.map((v) => [str(v['name']), rootSchema(v)]));
  const columns = new Map(versions.map((v) => [str(v['name']), crdColumns(v)]));
  const subresources = getPath(storage, ['subresources']);
  const statusSub = isJsonObject(subresources) && subresources['status'] !== undefined;
  const scale = isJsonObject(subresources) ? subresources['scale'] : undefined;
  return {
    key: resourceKey(group, plural),
    group,
    versions: sortVersions(served.map((v) => str(v['name']))),
    storageVersion: str(storage['name']),
    plural,
    singular: str(names['singular'], kind.toLowerCase()),
    kind,
    listKind: str(names['listKind'], `${kind}List`),
    namespaced: spec['scope'] !== 'Cluster',
    shortNames: strList(names['shortNames']),
    categories: strList(names['categories']),
    statusSubresource: statusSub,
    ...scaleOf(scale),
    builtin: false,
    generation: 'all-but-metadata',
    allowCreateOnUpdate: false,
    deleteReturnsObject: false,
    statusUpdatesAnnotations: false,
    schema: (v) => schemas.get(v) ?? schemas.get(str(storage['name']))!,
    columns: (v) => columns.get(v) ?? [],
    selectableFields: selectableFields(byName.get(str(storage['name'])) ?? {}),
    fieldSelectorErrorStyle: 'custom',
    strategy: {
      prepareForCreate: (obj) => {
        if (statusSub) delete obj['status'];
      },
      validate: (obj) => validateObjectMeta(obj, 'subdomain'),
    },
    validateCustom: (obj, version) =>
      customValidator?.(obj, group, version) ?? validateBySchema(obj, schemas.get(version)),
  };
}

/** OpenAPI validation of everything but TypeMeta and ObjectMeta (which are checked elsewhere). */
function validateBySchema(obj: JsonObject, schema: SchemaNode | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!schema) return errors;
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj;
  const required = (schema.required ?? []).filter(
    (r) => r !== 'metadata' && r !== 'apiVersion' && r !== 'kind',
  );
  validateStructural(rest, { ...schema, required }, '', errors);
  return errors;
}
