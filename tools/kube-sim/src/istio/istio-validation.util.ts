import * as istio from '@kubernetes-models/istio';
import type { JsonObject, JsonValue } from '../api/object.types.js';
import { fieldInvalid, fieldRequired, formatGoValue, type FieldError } from '../api/status.util.js';

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function isModelClass(v: unknown): v is ModelClass {
  return (
    typeof v === 'function' &&
    typeof (v as { apiVersion?: unknown }).apiVersion === 'string' &&
    typeof (v as { kind?: unknown }).kind === 'string'
  );
}

let classes: Map<string, ModelClass> | undefined;

/** Every model class of @kubernetes-models/istio, keyed by `apiVersion/Kind`. */
export function istioModelClasses(): Map<string, ModelClass> {
  if (classes) return classes;
  classes = new Map();
  for (const group of Object.values(istio as Record<string, unknown>)) {
    if (typeof group !== 'object' || group === null) continue;
    for (const version of Object.values(group as Record<string, unknown>)) {
      if (typeof version !== 'object' || version === null) continue;
      for (const cls of Object.values(version as Record<string, unknown>))
        if (isModelClass(cls)) classes.set(`${cls.apiVersion}/${cls.kind}`, cls);
    }
  }
  return classes;
}

/** `/spec/http/0/route` as Kubernetes prints field paths: `spec.http[0].route`. */
export function fieldPathOf(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

function valueAtPointer(root: JsonValue, pointer: string): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(raw)] : cur[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function typeName(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;
}

/** One ajv error as the field error the CRD's OpenAPI validation would report. */
function toFieldError(obj: JsonObject, e: AjvError): FieldError {
  const path = fieldPathOf(e.instancePath);
  const value = valueAtPointer(obj, e.instancePath);
  const at = path || '<root>';
  switch (e.keyword) {
    case 'required':
      return fieldRequired(
        path ? `${path}.${String(e.params['missingProperty'])}` : String(e.params['missingProperty']),
      );
    case 'type':
      return fieldInvalid(
        at,
        typeName(value),
        `${at} in body must be of type ${String(e.params['type'])}: ${JSON.stringify(typeName(value))}`,
      );
    case 'enum': {
      const allowed = Array.isArray(e.params['allowedValues']) ? e.params['allowedValues'] : [];
      return {
        field: at,
        type: 'FieldValueNotSupported',
        message: `${formatGoValue(value)}: supported values: ${allowed.map((a) => formatGoValue(a)).join(', ')}`,
      };
    }
    case 'pattern':
      return fieldInvalid(at, value, `${at} in body should match '${String(e.params['pattern'])}'`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return fieldInvalid(
        at,
        value,
        `${at} in body should be ${e.keyword.includes('inimum') ? 'greater' : 'less'} than ${e.keyword.startsWith('exclusive') ? '' : 'or equal to '}${String(e.params['limit'])}`,
      );
    case 'maxItems':
      return {
        field: at,
        type: 'FieldValueTooMany',
        message: `${Array.isArray(value) ? value.length : 0}: must have at most ${String(e.params['limit'])} items`,
      };
    case 'maxLength':
      return {
        field: at,
        type: 'FieldValueTooLong',
        message: `may not be more than ${String(e.params['limit'])} bytes`,
      };
    default:
      return fieldInvalid(at, value, `${at} in body ${e.message ?? `failed ${e.keyword} validation`}`);
  }
}

/**
 * Validates an Istio object with the precompiled validators shipped in @kubernetes-models/istio
 * (Istio 1.29 schemas). Returns undefined for kinds the package does not know. Unknown fields are
 * not this validator's business: pruning and strict field validation handle them.
 */
export function validateIstioObject(obj: JsonObject, apiVersion: string): FieldError[] | undefined {
  const cls = istioModelClasses().get(`${apiVersion}/${String(obj['kind'])}`);
  if (!cls) return undefined;
  try {
    new cls({ ...obj, apiVersion }).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) return [fieldInvalid('<root>', null, String(err))];
    // Branch errors under a failed oneOf/anyOf are noise: keep the combinator's own error.
    const combinators = errors
      .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
      .map((e) => e.instancePath);
    const kept = errors.filter(
      (e) =>
        e.keyword === 'oneOf' ||
        e.keyword === 'anyOf' ||
        !combinators.some((p) => e.instancePath.startsWith(p) && /\/(oneOf|anyOf)\//.test(e.schemaPath)),
    );
    const out: FieldError[] = [];
    for (const e of kept) {
      const fe = toFieldError(obj, e);
      if (!out.some((o) => o.field === fe.field && o.message === fe.message)) out.push(fe);
    }
    return out;
  }
}
