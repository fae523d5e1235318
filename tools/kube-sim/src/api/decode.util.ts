import { groupVersion } from '../registry/resource-type.types.js';
import { pruneUnknownFields, typeMismatches, type TypeMismatch } from '../schema/structural.util.js';
import { isJsonObject, type JsonObject } from './object.types.js';
import { badRequest, type KubeStatusError } from './status.util.js';
import type { Target, WriteOptions } from './write.types.js';

function cannotHandle(target: Target, detail: string): KubeStatusError {
  const kind = target.rt.kind;
  return badRequest(`${kind} in version "${target.version}" cannot be handled as a ${kind}: ${detail}`);
}

function goType(m: TypeMismatch): string {
  switch (m.expected) {
    case 'integer':
      return 'int32';
    case 'number':
      return 'float64';
    case 'object':
      return 'map[string]interface {}';
    case 'array':
      return '[]interface {}';
    default:
      return m.expected;
  }
}

/**
 * What the API server's decoder does to a request body: check apiVersion/kind against the
 * endpoint (filling them in when absent), then deal with unknown fields per `fieldValidation`
 * (Strict: 400; Warn: drop with a warning; Ignore: drop). Returns a private copy.
 */
export function decodeObject(target: Target, body: unknown, opts: WriteOptions): JsonObject {
  if (!isJsonObject(body as JsonObject))
    throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
  const obj = structuredClone(body as JsonObject);
  const gv = groupVersion(target.rt.group, target.version);
  const apiVersion = obj['apiVersion'];
  if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== gv)
    throw badRequest(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (${gv})`,
    );
  const kind = obj['kind'];
  if (
    kind !== undefined &&
    kind !== '' &&
    kind !== target.rt.kind &&
    !(target.subresource === 'scale' && kind === 'Scale')
  )
    throw badRequest(
      `the kind in the data (${String(kind)}) does not match the expected kind (${target.rt.kind})`,
    );
  if (obj['metadata'] !== undefined && !isJsonObject(obj['metadata']))
    throw cannotHandle(target, 'json: cannot unmarshal into Go struct field .metadata of type v1.ObjectMeta');
  if (target.subresource === 'scale') return obj;
  obj['apiVersion'] = gv;
  obj['kind'] = target.rt.kind;
  const schema = target.rt.schema(target.version);
  if (target.rt.builtin) {
    const mismatches: TypeMismatch[] = [];
    typeMismatches(obj, schema, '', mismatches);
    const m = mismatches[0];
    if (m)
      throw cannotHandle(
        target,
        `json: cannot unmarshal ${m.actual === 'integer' ? 'number' : m.actual} into Go struct field .${m.path} of type ${goType(m)}`,
      );
  }
  const unknown: string[] = [];
  pruneUnknownFields(obj, schema, '', unknown);
  if (unknown.length > 0) {
    switch (opts.fieldValidation) {
      case 'Strict':
        throw cannotHandle(
          target,
          `strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`,
        );
      case 'Warn':
        for (const u of unknown) opts.warnings.push(`unknown field "${u}"`);
        break;
      case 'Ignore':
        break;
    }
  }
  return obj;
}
