import Ajv from 'ajv';
import { HeliomeshError, formatJsonPath, type ErrorDetail } from '@heliomesh/util';
import type { GoMap } from '../template/go-value.util.js';

/**
 * values.schema.json validation, as Helm does before rendering. Each issue carries the JSON path
 * of the offending value so the message can point at the line of the values file to fix.
 */

export interface ValuesIssue {
  /** `$.policyApi.replicas` */
  readonly path: string;
  /** The JSON Schema keyword that failed (`type`, `additionalProperties`, `enum`, ...). */
  readonly keyword: string;
  readonly message: string;
}

interface AjvError {
  keyword: string;
  dataPath: string;
  params: Record<string, unknown>;
  message?: string;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function toIssue(e: AjvError): ValuesIssue {
  const path = pointerToPath(e.dataPath);
  if (e.keyword === 'additionalProperties') {
    const extra = String(e.params['additionalProperty']);
    return {
      path: formatJsonPath([...path, extra]),
      keyword: e.keyword,
      message: `unknown key "${extra}": remove it or check its spelling`,
    };
  }
  if (e.keyword === 'required') {
    const missing = String(e.params['missingProperty']).replace(/^\./, '');
    return { path: formatJsonPath([...path, missing]), keyword: e.keyword, message: `is required` };
  }
  const allowed =
    e.keyword === 'enum'
      ? `: ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
      : '';
  return { path: formatJsonPath(path), keyword: e.keyword, message: `${e.message ?? e.keyword}${allowed}` };
}

/** Compiled validators, per schema object, so repeated renders do not recompile. */
const compiled = new WeakMap<object, (data: unknown) => AjvError[]>();

function validatorFor(schema: Record<string, unknown>): (data: unknown) => AjvError[] {
  let validate = compiled.get(schema);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, jsonPointers: true });
    const fn = ajv.compile(schema);
    validate = (data) => (fn(data) ? [] : ((fn.errors ?? []) as unknown as AjvError[]));
    compiled.set(schema, validate);
  }
  return validate;
}

export function validateValues(schema: Record<string, unknown>, values: GoMap): ValuesIssue[] {
  // Helm validates the JSON form of the values, so the ajv data is the same plain JSON.
  const data: unknown = JSON.parse(JSON.stringify(values));
  const seen = new Set<string>();
  return validatorFor(schema)(data)
    .filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword))
    .map(toIssue)
    .filter((i) => {
      const key = `${i.path} ${i.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

export function assertValidValues(chartName: string, schema: Record<string, unknown>, values: GoMap): void {
  const issues = validateValues(schema, values);
  if (issues.length === 0) return;
  const details: ErrorDetail[] = issues.map((i) => ({
    code: 'VALUES_SCHEMA_VIOLATION',
    path: i.path,
    message: i.message,
  }));
  throw new HeliomeshError({
    code: 'VALUES_SCHEMA_VIOLATION',
    status: 422,
    message: `values don't meet the specifications of the schema of chart ${chartName}:\n${issues
      .map((i) => `- ${i.path}: ${i.message}`)
      .join('\n')}`,
    path: issues[0]!.path,
    details,
  });
}
