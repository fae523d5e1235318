import { parseAllDocuments } from 'yaml';
import { errorMessage, HeliomeshError } from '@heliomesh/util';

/**
 * A rollout file: the API body (`target`, `stable`, `canary`, `strategy`, ...) as YAML or JSON,
 * or the same wrapped as a document (`apiVersion: heliomesh.io/v1alpha1`, `kind: Rollout`,
 * `metadata.namespace`, `spec`). The server validates the spec; this only unwraps it.
 */
export function rolloutBodyFromFile(text: string, file: string): Record<string, unknown> {
  const bad = (message: string) =>
    new HeliomeshError({ code: 'ROLLOUT_FILE_INVALID', status: 400, message: `${file}: ${message}` });
  let docs;
  try {
    docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: true, logLevel: 'error' }).filter(
      (d) => d.contents !== null,
    );
  } catch (err) {
    throw bad(`not YAML: ${errorMessage(err)}`);
  }
  if (!Array.isArray(docs) || docs.length !== 1) throw bad('give exactly one rollout per file.');
  const doc = docs[0]!;
  if (doc.errors.length) throw bad(`invalid YAML: ${doc.errors[0]!.message}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw bad(`invalid YAML: ${errorMessage(err)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('expected a mapping.');
  const obj = value as Record<string, unknown>;
  if (obj['kind'] === undefined) return obj;
  if (obj['kind'] !== 'Rollout')
    throw bad(`kind is "${String(obj['kind'])}"; a rollout file has kind: Rollout (or no kind).`);
  const spec = obj['spec'];
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw bad('kind: Rollout needs a spec mapping.');
  const namespace = (obj['metadata'] as Record<string, unknown> | undefined)?.['namespace'];
  const body = { ...(spec as Record<string, unknown>) };
  const target = body['target'];
  if (
    typeof namespace === 'string' &&
    target !== null &&
    typeof target === 'object' &&
    !Array.isArray(target)
  )
    body['target'] = { namespace, ...(target as Record<string, unknown>) };
  return body;
}
