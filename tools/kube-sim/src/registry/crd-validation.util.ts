import { getPath, isJsonObject, metaOf, type JsonObject, type KubeObject } from '../api/object.types.js';
import { fieldInvalid, fieldRequired, type FieldError } from '../api/status.util.js';
import { structuralErrors } from '../schema/structural.util.js';
import { nameError } from '../validation/metadata-validation.util.js';

function validateNames(spec: JsonObject, errors: FieldError[]): void {
  const names = getPath(spec, ['names']);
  if (!isJsonObject(names)) {
    errors.push(fieldRequired('spec.names.plural'), fieldRequired('spec.names.kind'));
    return;
  }
  const plural = names['plural'];
  if (typeof plural !== 'string' || plural === '') errors.push(fieldRequired('spec.names.plural'));
  else {
    const err = nameError(plural, 'label');
    if (err) errors.push(fieldInvalid('spec.names.plural', plural, err));
  }
  const kind = names['kind'];
  if (typeof kind !== 'string' || kind === '') errors.push(fieldRequired('spec.names.kind'));
  else if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kind))
    errors.push(
      fieldInvalid(
        'spec.names.kind',
        kind,
        'may have mixed case, but should otherwise match: ^[a-z]([-a-z0-9]*[a-z0-9])?$',
      ),
    );
}

function validateVersions(spec: JsonObject, errors: FieldError[]): void {
  const versions = getPath(spec, ['versions']);
  if (!Array.isArray(versions) || versions.length === 0) {
    errors.push(
      fieldInvalid(
        'spec.versions',
        versions ?? null,
        'must have exactly one version marked as storage version',
      ),
    );
    return;
  }
  let storage = 0;
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const at = `spec.versions[${i}]`;
    if (!isJsonObject(v)) return;
    const name = v['name'];
    if (typeof name !== 'string' || name === '') errors.push(fieldRequired(`${at}.name`));
    else {
      const err = nameError(name, 'label');
      if (err) errors.push(fieldInvalid(`${at}.name`, name, err));
      if (seen.has(name))
        errors.push({ field: `${at}.name`, type: 'FieldValueDuplicate', message: JSON.stringify(name) });
      seen.add(name);
    }
    if (v['storage'] === true) storage++;
    const schema = getPath(v, ['schema', 'openAPIV3Schema']);
    if (!isJsonObject(schema))
      errors.push(fieldRequired(`${at}.schema.openAPIV3Schema`, 'schemas are required'));
    else {
      structuralErrors(schema, `${at}.schema.openAPIV3Schema`, errors);
      if (schema['type'] !== 'object')
        errors.push(
          fieldInvalid(
            `${at}.schema.openAPIV3Schema.type`,
            schema['type'] ?? '',
            'must be object at the root',
          ),
        );
    }
  });
  if (storage !== 1)
    errors.push(
      fieldInvalid('spec.versions', versions, 'must have exactly one version marked as storage version'),
    );
}

/** CustomResourceDefinition validation (apiextensions validation.go, the checks clients hit). */
export function validateCrd(crd: JsonObject, old: KubeObject | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const spec = isJsonObject(crd['spec']) ? crd['spec'] : {};
  const group = spec['group'];
  if (typeof group !== 'string' || group === '') errors.push(fieldRequired('spec.group'));
  else if (!group.includes('.'))
    errors.push(fieldInvalid('spec.group', group, 'should be a domain with at least one dot'));
  validateNames(spec, errors);
  const scope = spec['scope'];
  if (scope !== 'Namespaced' && scope !== 'Cluster')
    errors.push(
      scope === undefined
        ? fieldRequired('spec.scope')
        : {
            field: 'spec.scope',
            type: 'FieldValueNotSupported',
            message: `${JSON.stringify(scope)}: supported values: "Cluster", "Namespaced"`,
          },
    );
  validateVersions(spec, errors);
  const plural = getPath(spec, ['names', 'plural']);
  const name = metaOf(crd)['name'];
  if (typeof plural === 'string' && typeof group === 'string' && name !== `${plural}.${group}`)
    errors.push(fieldInvalid('metadata.name', name ?? '', 'must be spec.names.plural+"."+spec.group'));
  if (old) {
    if (getPath(old, ['spec', 'group']) !== group)
      errors.push(fieldInvalid('spec.group', group ?? '', 'field is immutable'));
    if (getPath(old, ['spec', 'scope']) !== scope)
      errors.push(fieldInvalid('spec.scope', scope ?? '', 'field is immutable'));
  }
  return errors;
}
