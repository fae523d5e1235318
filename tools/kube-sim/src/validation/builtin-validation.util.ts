import {
  getPath,
  isJsonObject,
  jsonEqual,
  metaOf,
  stringMap,
  type JsonObject,
  type JsonValue,
  type KubeObject,
} from '../api/object.types.js';
import { fieldInvalid, fieldRequired, type FieldError } from '../api/status.util.js';
import { fromLabelSelectorObject, matchesLabels } from '../selectors/label-selector.parser.js';
import { nameError } from './metadata-validation.util.js';

function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

function validateContainers(
  containers: JsonValue | undefined,
  path: string,
  required: boolean,
): FieldError[] {
  const errors: FieldError[] = [];
  const items = list(containers);
  if (required && items.length === 0) errors.push(fieldRequired(path));
  const seen = new Set<string>();
  items.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!isJsonObject(c)) return;
    const name = c['name'];
    if (typeof name !== 'string' || name === '') errors.push(fieldRequired(`${at}.name`));
    else {
      const err = nameError(name, 'label');
      if (err) errors.push(fieldInvalid(`${at}.name`, name, err));
      if (seen.has(name))
        errors.push({ field: `${at}.name`, type: 'FieldValueDuplicate', message: JSON.stringify(name) });
      seen.add(name);
    }
    if (typeof c['image'] !== 'string' || c['image'].trim() === '') errors.push(fieldRequired(`${at}.image`));
    list(c['ports']).forEach((p, j) => {
      const port = getPath(p, ['containerPort']);
      if (typeof port !== 'number' || port < 1 || port > 65535)
        errors.push(
          fieldInvalid(
            `${at}.ports[${j}].containerPort`,
            port ?? 0,
            'must be between 1 and 65535, inclusive',
          ),
        );
    });
  });
  return errors;
}

export function validatePodSpec(spec: JsonValue | undefined, path: string): FieldError[] {
  return [
    ...validateContainers(getPath(spec, ['containers']), `${path}.containers`, true),
    ...validateContainers(getPath(spec, ['initContainers']), `${path}.initContainers`, false),
  ];
}

export function validatePod(pod: JsonObject, old: KubeObject | undefined): FieldError[] {
  const errors = validatePodSpec(pod['spec'], 'spec');
  if (old) {
    // Binding (setting spec.nodeName once) is the scheduler's job and allowed.
    const binding = !getPath(old, ['spec', 'nodeName']);
    const strip = (o: JsonValue | undefined): JsonValue => {
      const spec = getPath(o, ['spec']);
      if (!isJsonObject(spec)) return null;
      const containers = list(spec['containers']).map((c) => (isJsonObject(c) ? { ...c, image: null } : c));
      const nodeName = binding ? null : (spec['nodeName'] ?? null);
      return {
        ...spec,
        containers,
        nodeName,
        activeDeadlineSeconds: null,
        tolerations: null,
        terminationGracePeriodSeconds: null,
      };
    };
    if (!jsonEqual(strip(pod), strip(old)))
      errors.push({
        field: 'spec',
        type: 'FieldValueForbidden',
        message:
          'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      });
  }
  return errors;
}

function validateWorkload(obj: JsonObject, old: KubeObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const replicas = getPath(obj, ['spec', 'replicas']);
  if (typeof replicas === 'number' && replicas < 0)
    errors.push(fieldInvalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  const selectorObj = getPath(obj, ['spec', 'selector']);
  const selector = fromLabelSelectorObject(selectorObj);
  if (!selector) errors.push(fieldRequired('spec.selector'));
  else if (selector.length === 0)
    errors.push(fieldInvalid('spec.selector', selectorObj, 'empty selector is invalid for deployment'));
  const templateLabels = stringMap(getPath(obj, ['spec', 'template', 'metadata', 'labels']));
  if (selector && selector.length > 0 && !matchesLabels(selector, templateLabels))
    errors.push(
      fieldInvalid(
        'spec.template.metadata.labels',
        templateLabels,
        '`selector` does not match template `labels`',
      ),
    );
  errors.push(...validatePodSpec(getPath(obj, ['spec', 'template', 'spec']), 'spec.template.spec'));
  const restart = getPath(obj, ['spec', 'template', 'spec', 'restartPolicy']);
  if (restart !== undefined && restart !== 'Always')
    errors.push({
      field: 'spec.template.spec.restartPolicy',
      type: 'FieldValueNotSupported',
      message: `${JSON.stringify(restart)}: supported values: "Always"`,
    });
  if (old && !jsonEqual(getPath(old, ['spec', 'selector']), selectorObj))
    errors.push(fieldInvalid('spec.selector', selectorObj, 'field is immutable'));
  return errors;
}

export const validateDeployment = validateWorkload;
export const validateReplicaSet = validateWorkload;

export function validateService(svc: JsonObject, old: KubeObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const type = getPath(svc, ['spec', 'type']);
  const supported = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (typeof type === 'string' && !supported.includes(type))
    errors.push({
      field: 'spec.type',
      type: 'FieldValueNotSupported',
      message: `${JSON.stringify(type)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
    });
  const ports = list(getPath(svc, ['spec', 'ports']));
  const headless = getPath(svc, ['spec', 'clusterIP']) === 'None';
  if (ports.length === 0 && type !== 'ExternalName' && !headless) errors.push(fieldRequired('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = getPath(p, ['port']);
    if (typeof port !== 'number' || port < 1 || port > 65535)
      errors.push(fieldInvalid(`spec.ports[${i}].port`, port ?? 0, 'must be between 1 and 65535, inclusive'));
    const protocol = getPath(p, ['protocol']);
    if (protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(String(protocol)))
      errors.push({
        field: `spec.ports[${i}].protocol`,
        type: 'FieldValueNotSupported',
        message: `${JSON.stringify(protocol)}: supported values: "SCTP", "TCP", "UDP"`,
      });
    const name = getPath(p, ['name']);
    if (ports.length > 1 && (typeof name !== 'string' || name === ''))
      errors.push(fieldRequired(`spec.ports[${i}].name`));
    if (typeof name === 'string' && name) {
      if (names.has(name))
        errors.push({
          field: `spec.ports[${i}].name`,
          type: 'FieldValueDuplicate',
          message: JSON.stringify(name),
        });
      names.add(name);
    }
  });
  if (old) {
    const before = getPath(old, ['spec', 'clusterIP']);
    const after = getPath(svc, ['spec', 'clusterIP']);
    if (before && before !== after && getPath(old, ['spec', 'type']) !== 'ExternalName')
      errors.push(fieldInvalid('spec.clusterIPs[0]', after ?? '', 'may not change once set'));
  }
  return errors;
}

const configKeyRe = /^[-._a-zA-Z0-9]+$/;

export function validateConfigData(obj: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['data', 'binaryData']) {
    for (const key of Object.keys(isJsonObject(obj[field]) ? obj[field] : {})) {
      if (!configKeyRe.test(key) || key.length > 253)
        errors.push(
          fieldInvalid(
            `${field}[${key}]`,
            key,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
          ),
        );
    }
  }
  return errors;
}

export function validateNamespaceUpdate(ns: JsonObject, old: KubeObject | undefined): FieldError[] {
  if (!old) return [];
  const label = stringMap(metaOf(ns)['labels'])['kubernetes.io/metadata.name'];
  return label === undefined || label === old.metadata.name
    ? []
    : [fieldInvalid('metadata.labels', label, 'must match the namespace name')];
}
