import type { Measurement, ProviderErrorCode } from '../measurement.types.js';

/**
 * Reads a `Measurement` from JSON that came over the network. Only the envelope and the value's
 * outer shape are checked: enough that a caller never receives a number that is a string or a
 * list that is an object, without re-validating every field the collector computed.
 */

const ERROR_CODES: ReadonlySet<ProviderErrorCode> = new Set<ProviderErrorCode>([
  'PROVIDER_UNREACHABLE',
  'PROVIDER_TIMEOUT',
  'PROVIDER_BAD_RESPONSE',
  'QUERY_REJECTED',
  'UNSUPPORTED',
]);

export type ValueCheck = (value: unknown) => boolean;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const isFiniteNumber: ValueCheck = (v) => typeof v === 'number' && Number.isFinite(v);

export const isArrayOfRecords: ValueCheck = (v) => Array.isArray(v) && v.every(isRecord);

export const isCountRecord: ValueCheck = (v) => isRecord(v) && Object.values(v).every(isFiniteNumber);

/** JSON cannot carry `+Inf`: the collector sends the last bucket's bound as `null`. */
export function histogramFromWire(v: Record<string, unknown>): Record<string, unknown> {
  const buckets = (v['buckets'] as Array<Record<string, unknown>>).map((b) => ({
    le: b['le'] === null ? Number.POSITIVE_INFINITY : b['le'],
    count: b['count'],
  }));
  return { ...v, buckets };
}

export const isWireHistogram: ValueCheck = (v) =>
  isRecord(v) &&
  isFiniteNumber(v['count']) &&
  Array.isArray(v['buckets']) &&
  v['buckets'].every(
    (b) => isRecord(b) && (b['le'] === null || isFiniteNumber(b['le'])) && isFiniteNumber(b['count']),
  );

export const hasArrays =
  (...keys: string[]): ValueCheck =>
  (v) =>
    isRecord(v) && keys.every((k) => isArrayOfRecords(v[k]));

const optionalNumber = (v: unknown) => v === undefined || isFiniteNumber(v);

/** The measurement in `body`, or `undefined` when `body` is not one (or its value fails `isValue`). */
export function readMeasurement<T>(body: unknown, isValue: ValueCheck): Measurement<T> | undefined {
  if (!isRecord(body)) return undefined;
  switch (body['kind']) {
    case 'value':
      if (!isValue(body['value'])) return undefined;
      if (!optionalNumber(body['requestCount']) || !optionalNumber(body['samples'])) return undefined;
      return body as unknown as Measurement<T>;
    case 'no-data':
      return typeof body['reason'] === 'string' ? { kind: 'no-data', reason: body['reason'] } : undefined;
    case 'provider-error': {
      const e = body['error'];
      if (
        !isRecord(e) ||
        !ERROR_CODES.has(e['code'] as ProviderErrorCode) ||
        typeof e['message'] !== 'string' ||
        typeof e['provider'] !== 'string' ||
        (e['query'] !== undefined && typeof e['query'] !== 'string')
      ) {
        return undefined;
      }
      return {
        kind: 'provider-error',
        error: {
          code: e['code'] as ProviderErrorCode,
          message: e['message'],
          provider: e['provider'],
          ...(typeof e['query'] === 'string' ? { query: e['query'] } : {}),
        },
      };
    }
    default:
      return undefined;
  }
}
