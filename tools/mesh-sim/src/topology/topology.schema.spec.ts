import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { topologyJsonSchema } from './topology.schema.js';

describe('topology JSON Schema', () => {
  it('matches the checked-in tools/mesh-sim/topology.schema.json', () => {
    const checkedIn = JSON.parse(
      readFileSync(new URL('../../topology.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(
      checkedIn,
      'topology.schema.json is stale: regenerate it with `npm run mesh-sim -- schema > tools/mesh-sim/topology.schema.json`',
    ).toEqual(topologyJsonSchema());
  });

  it('documents the fields people set most', () => {
    const schema = topologyJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['services', 'clients', 'defaults', 'namespace', 'hopLatencyMs']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'name', 'services']));
  });
});
