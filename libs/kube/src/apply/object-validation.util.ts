import { KubeError } from '../errors/kube-error.util.js';
import { isRecord } from '../kube.types.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The shape checks an object needs before it can be addressed at all (apiVersion, kind, name,
 * namespace); the API server validates the rest. `index` is the object's place in the set, for the
 * error path.
 */
export function validateObject(obj: unknown, index: number): KubeError | undefined {
  const fail = (message: string, ...path: string[]) =>
    new KubeError({ code: 'KUBE_OBJECT_INVALID', message, path: [index, ...path] });
  if (!isRecord(obj)) return fail('each object must be a JSON object');
  if (typeof obj['apiVersion'] !== 'string' || !API_VERSION.test(obj['apiVersion']))
    return fail(
      `apiVersion must look like "v1" or "group/v1", got ${JSON.stringify(obj['apiVersion'])}`,
      'apiVersion',
    );
  if (typeof obj['kind'] !== 'string' || !KIND.test(obj['kind']))
    return fail(
      `kind must be a Kind name such as "VirtualService", got ${JSON.stringify(obj['kind'])}`,
      'kind',
    );
  const meta = obj['metadata'];
  if (!isRecord(meta)) return fail('metadata with a name is required', 'metadata');
  if (typeof meta['name'] !== 'string' || !DNS_SUBDOMAIN.test(meta['name']))
    return fail(
      `metadata.name must be a lowercase DNS name (letters, digits, '-', '.'), got ${JSON.stringify(meta['name'])}`,
      'metadata',
      'name',
    );
  if (
    meta['namespace'] !== undefined &&
    (typeof meta['namespace'] !== 'string' || !DNS_LABEL.test(meta['namespace']))
  )
    return fail(
      `metadata.namespace must be a lowercase DNS label, got ${JSON.stringify(meta['namespace'])}`,
      'metadata',
      'namespace',
    );
  for (const field of ['labels', 'annotations'])
    if (
      meta[field] !== undefined &&
      (!isRecord(meta[field]) || Object.values(meta[field]).some((v) => typeof v !== 'string'))
    )
      return fail(`metadata.${field} must map strings to strings`, 'metadata', field);
  return undefined;
}
