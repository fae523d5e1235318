import { describe, expect, it } from 'vitest';
import { POLICY_KINDS, policyJsonSchemas } from './index.js';

type Schema = {
  properties?: Record<string, Schema>;
  additionalProperties?: unknown;
  required?: string[];
  const?: unknown;
};

describe('policyJsonSchemas', () => {
  const schemas = policyJsonSchemas();

  it('exports one spec schema and one document schema per kind, rejecting unknown fields', () => {
    expect(Object.keys(schemas.specs).sort()).toEqual([...POLICY_KINDS].sort());
    for (const kind of POLICY_KINDS) {
      const spec = schemas.specs[kind] as Schema;
      expect(spec.additionalProperties).toBe(false);
      const doc = schemas.documents[kind] as Schema;
      expect(doc.properties!['kind']!.const).toBe(kind);
      expect(doc.properties!['spec']!.required).toContain('target');
      expect(doc.properties!['spec']!.properties!['target']!.additionalProperties).toBe(false);
    }
  });

  it('keeps the document target namespace optional (it defaults to metadata.namespace) and the body one required', () => {
    const doc = schemas.documents.Timeout as Schema;
    expect(doc.properties!['spec']!.properties!['target']!.required).toEqual(['service']);
    expect((schemas.target as Schema).required).toEqual(['namespace', 'service']);
  });

  it('also renders for OpenAPI 3.0', () => {
    const openapi = policyJsonSchemas('openapi-3.0');
    expect(JSON.stringify(openapi.body)).not.toContain('$schema');
    expect(JSON.stringify(openapi.body).length).toBeGreaterThan(1000);
  });
});
