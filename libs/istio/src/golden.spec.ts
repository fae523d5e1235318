import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyDocuments, POLICY_KINDS, type StoredPolicy } from '@heliomesh/policy';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { service, snapshot } from '../test/support/snapshot.builders.js';
import { compile, SOURCES_ANNOTATION, toYaml } from './index.js';

/**
 * Golden files: for each policy kind, a reviewed input (the GitOps document form) and the exact
 * Istio YAML it compiles to. `UPDATE_GOLDEN=1 npx vitest run src/golden.spec.ts` rewrites the
 * expected files; review the diff before committing it.
 */
const dir = join(import.meta.dirname, '..', 'test', '__golden__');
const inputs = readdirSync(dir)
  .filter((f) => f.endsWith('.input.yaml'))
  .sort();
const update = process.env['UPDATE_GOLDEN'] === '1';

const services = [
  service('reviews', { v1: 3, v2: 3, v3: 3 }),
  service('ratings', { v1: 2, v2: 2 }),
  service('productpage', { v1: 2 }),
];

function compileInput(file: string): { yaml: string; objects: unknown[]; kinds: string[]; errors: string[] } {
  const parsed = parsePolicyDocuments(readFileSync(join(dir, file), 'utf8'));
  expect(parsed.findings).toEqual([]);
  const policies: StoredPolicy[] = parsed.policies.map(
    ({ policy }) => ({ ...policy, id: `golden-${policy.name}`, revision: 1 }) as StoredPolicy,
  );
  const result = compile(snapshot({ services, policies, mtls: { bookinfo: 'STRICT' } }));
  // Only the objects the input's policies contribute to; untouched hosts are not part of the example.
  const touched = result.objects.filter((o) => o.metadata.annotations[SOURCES_ANNOTATION] !== '[]');
  return {
    yaml: toYaml(touched),
    objects: touched,
    kinds: policies.map((p) => p.kind),
    errors: result.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`),
  };
}

describe('golden files', () => {
  it('cover every policy kind', () => {
    const kinds = new Set(inputs.flatMap((f) => compileInput(f).kinds));
    expect([...kinds].sort()).toEqual([...POLICY_KINDS].sort());
  });

  it.each(inputs)('%s compiles to its reviewed Istio YAML', (file) => {
    const { yaml, objects, errors } = compileInput(file);
    expect(errors).toEqual([]);
    // Kubernetes decodes YAML 1.1: the bytes must read back as exactly the compiled objects there.
    expect(parseAllDocuments(yaml, { version: '1.1' }).map((d) => d.toJS())).toEqual(objects);
    const expectedFile = join(dir, file.replace('.input.yaml', '.expected.yaml'));
    if (update) writeFileSync(expectedFile, yaml);
    expect(
      existsSync(expectedFile),
      `missing ${expectedFile}: run UPDATE_GOLDEN=1 npx vitest run src/golden.spec.ts`,
    ).toBe(true);
    expect(yaml, 'golden drift: review, then run UPDATE_GOLDEN=1 npx vitest run src/golden.spec.ts').toBe(
      readFileSync(expectedFile, 'utf8'),
    );
  });
});
