import { describe, expect, it } from 'vitest';
import { HeliomeshError } from '@heliomesh/util';
import { assertValidValues, validateValues } from './values-schema.util.js';

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['replicas', 'service'],
  properties: {
    replicas: { type: 'integer', minimum: 0 },
    service: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: ['ClusterIP', 'LoadBalancer'] },
        'odd-key': { type: 'string' },
      },
    },
  },
};

describe('values schema validation', () => {
  it('accepts valid values', () => {
    expect(validateValues(schema, { replicas: 2, service: { type: 'ClusterIP' } })).toEqual([]);
  });

  it('reports each problem with the JSON path of the value to fix', () => {
    const issues = validateValues(schema, {
      replicas: 1.5,
      service: { type: 'NodePort', typo: 1, 'odd-key': 3 },
      extra: true,
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '$.replicas', keyword: 'type', message: 'should be integer' },
        {
          path: '$.service.type',
          keyword: 'enum',
          message: 'should be equal to one of the allowed values: "ClusterIP", "LoadBalancer"',
        },
        {
          path: '$.service.typo',
          keyword: 'additionalProperties',
          message: 'unknown key "typo": remove it or check its spelling',
        },
        { path: '$.service.odd-key', keyword: 'type', message: 'should be string' },
        {
          path: '$.extra',
          keyword: 'additionalProperties',
          message: 'unknown key "extra": remove it or check its spelling',
        },
      ]),
    );
    expect(issues).toHaveLength(5);
  });

  it('names a required key that a null removed', () => {
    expect(validateValues(schema, { service: {} })).toEqual([
      { path: '$.replicas', keyword: 'required', message: 'is required' },
    ]);
  });

  it('throws one error listing every problem, with the first path', () => {
    try {
      assertValidValues('demo', schema, { replicas: -1, service: {} });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HeliomeshError);
      const err = e as HeliomeshError;
      expect(err.code).toBe('VALUES_SCHEMA_VIOLATION');
      expect(err.path).toBe('$.replicas');
      expect(err.message).toBe(
        "values don't meet the specifications of the schema of chart demo:\n- $.replicas: should be >= 0",
      );
    }
  });
});
