import { isJsonObject, metaOf, type JsonObject } from '../api/object.types.js';
import { fieldInvalid, fieldRequired, type FieldError } from '../api/status.util.js';
import { labelKeyError, labelValueError } from '../selectors/label-selector.parser.js';

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

const subdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1035Re = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The messages of apimachinery util/validation for the name rules Kubernetes uses. */
export function nameError(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'subdomain':
      if (name.length > 253) return 'must be no more than 253 characters';
      if (!subdomainRe.test(name))
        return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
      return undefined;
    case 'label':
      if (name.length > 63) return 'must be no more than 63 characters';
      if (!labelRe.test(name))
        return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
      return undefined;
    case 'dns1035':
      if (name.length > 63) return 'must be no more than 63 characters';
      if (!dns1035Re.test(name))
        return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
      return undefined;
    case 'path-segment':
      if (name === '.' || name === '..') return `may not be '${name}'`;
      if (name.includes('/') || name.includes('%')) return "may not contain '/' or '%'";
      return undefined;
  }
}

/** ObjectMeta checks every kind shares: name, labels, annotations, finalizers, ownerReferences. */
export function validateObjectMeta(obj: JsonObject, rule: NameRule): FieldError[] {
  const meta = metaOf(obj);
  const errors: FieldError[] = [];
  const name = meta['name'];
  if (typeof name !== 'string' || name === '') {
    errors.push(fieldRequired('metadata.name', 'name or generateName is required'));
  } else {
    const err = nameError(name, rule);
    if (err) errors.push(fieldInvalid('metadata.name', name, err));
  }
  const labels = meta['labels'];
  if (isJsonObject(labels)) {
    for (const [k, v] of Object.entries(labels)) {
      const keyErr = labelKeyError(k);
      if (keyErr) errors.push(fieldInvalid('metadata.labels', k, keyErr));
      if (typeof v !== 'string') continue;
      const valErr = labelValueError(v);
      if (valErr) errors.push(fieldInvalid(`metadata.labels`, v, valErr));
    }
  }
  const annotations = meta['annotations'];
  if (isJsonObject(annotations)) {
    let size = 0;
    for (const [k, v] of Object.entries(annotations)) {
      const keyErr = labelKeyError(k.toLowerCase());
      if (keyErr) errors.push(fieldInvalid('metadata.annotations', k, keyErr));
      size += k.length + (typeof v === 'string' ? v.length : 0);
    }
    if (size > 256 * 1024)
      errors.push({
        field: 'metadata.annotations',
        type: 'FieldValueTooLong',
        message: 'must have at most 262144 bytes',
      });
  }
  const owners = meta['ownerReferences'];
  if (Array.isArray(owners)) {
    owners.forEach((o, i) => {
      if (!isJsonObject(o)) return;
      for (const f of ['apiVersion', 'kind', 'name', 'uid'])
        if (!o[f])
          errors.push(
            fieldInvalid(`metadata.ownerReferences[${i}].${f}`, o[f] ?? '', `${f} must not be empty`),
          );
    });
    const controllers = owners.filter((o) => isJsonObject(o) && o['controller'] === true).length;
    if (controllers > 1)
      errors.push(
        fieldInvalid(
          'metadata.ownerReferences',
          owners,
          'Only one reference can have Controller set to true',
        ),
      );
  }
  return errors;
}
