import { describe, expect, it } from 'vitest';
import type { FieldError } from '../api/status.util.js';
import type { JsonObject } from '../api/object.types.js';
import {
  applyDefaults,
  pruneUnknownFields,
  structuralErrors,
  validateStructural,
} from './structural.util.js';
import type { SchemaNode } from './schema.types.js';

const schema: SchemaNode = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
        items: {
          type: 'array',
          maxItems: 2,
          items: { type: 'object', properties: { k: { type: 'string' } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['k'],
        },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        port: { 'x-kubernetes-int-or-string': true },
      },
    },
  },
};

describe('structural schemas', () => {
  it('prunes unknown fields outside preserve-unknown-fields and reports their paths', () => {
    const obj: JsonObject = {
      spec: { size: 1, extra: 1, items: [{ k: 'a', junk: true }], free: { anything: { goes: 1 } } },
      top: 1,
    };
    const unknown: string[] = [];
    pruneUnknownFields(obj, schema, '', unknown);
    expect(unknown).toEqual(['spec.extra', 'spec.items[0].junk', 'top']);
    expect(obj).toEqual({ spec: { size: 1, items: [{ k: 'a' }], free: { anything: { goes: 1 } } } });
  });

  it('applies defaults and validates with kube-apiserver messages', () => {
    const obj: JsonObject = { spec: { size: 1 } };
    applyDefaults(obj, schema);
    expect(obj).toEqual({ spec: { size: 1, mode: 'a' } });
    const errors: FieldError[] = [];
    validateStructural(
      {
        spec: { size: 0, mode: 'c', name: 'ABCDEFG', items: [{ k: 'x' }, { k: 'x' }, { k: 'y' }], port: 1.5 },
      },
      schema,
      '',
      errors,
    );
    expect(errors.map((e) => `${e.field} ${e.type} ${e.message}`)).toEqual([
      'spec.size FieldValueInvalid 0: spec.size in body should be greater than or equal to 1',
      'spec.mode FieldValueNotSupported "c": supported values: "a", "b"',
      'spec.name FieldValueInvalid "ABCDEFG": spec.name in body should match \'^[a-z]+$\'',
      'spec.name FieldValueTooLong may not be more than 5 bytes',
      'spec.items FieldValueTooMany 3: must have at most 2 items',
      'spec.items[1] FieldValueDuplicate {"k":"x"}',
      'spec.port FieldValueInvalid "number": spec.port in body must be of type integer,string: "number"',
    ]);
    const missing: FieldError[] = [];
    validateStructural({ spec: {} }, schema, '', missing);
    expect(missing).toEqual([{ field: 'spec.size', type: 'FieldValueRequired', message: '' }]);
  });

  it('finds untyped nodes in a CRD schema', () => {
    const errors: FieldError[] = [];
    structuralErrors(
      {
        type: 'object',
        properties: {
          spec: { properties: { a: { type: 'string' } } },
          ok: { 'x-kubernetes-int-or-string': true },
        },
      },
      'spec.versions[0].schema.openAPIV3Schema',
      errors,
    );
    expect(errors).toEqual([
      {
        field: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].type',
        type: 'FieldValueRequired',
        message: 'must not be empty for specified object fields',
      },
    ]);
  });
});
