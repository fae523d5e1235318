import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeliomeshError } from '@heliomesh/util';
import { rolloutBodyFromFile } from './rollout-file.util.js';

describe('rollout files', () => {
  it('take the API body as is', () => {
    expect(
      rolloutBodyFromFile(
        'target: { namespace: shop, service: reviews }\nstable: v1\ncanary: v2\n',
        'r.yaml',
      ),
    ).toEqual({
      target: { namespace: 'shop', service: 'reviews' },
      stable: 'v1',
      canary: 'v2',
    });
  });

  it('unwrap kind: Rollout, taking the namespace from metadata unless the target has one', () => {
    const doc =
      'apiVersion: heliomesh.io/v1alpha1\nkind: Rollout\nmetadata: { namespace: shop }\nspec:\n  target: { service: reviews }\n  stable: v1\n  canary: v2\n';
    expect(rolloutBodyFromFile(doc, 'r.yaml')).toEqual({
      target: { namespace: 'shop', service: 'reviews' },
      stable: 'v1',
      canary: 'v2',
    });
    expect(
      rolloutBodyFromFile(
        doc.replace('{ service: reviews }', '{ service: reviews, namespace: other }'),
        'r.yaml',
      ),
    ).toMatchObject({
      target: { namespace: 'other' },
    });
  });

  it('say what is wrong with the file', () => {
    expect(() => rolloutBodyFromFile('', 'r.yaml')).toThrow('r.yaml: give exactly one rollout per file.');
    expect(() => rolloutBodyFromFile('a: 1\n---\nb: 2\n', 'r.yaml')).toThrow('exactly one rollout');
    expect(() => rolloutBodyFromFile('- 1\n', 'r.yaml')).toThrow('expected a mapping');
    expect(() => rolloutBodyFromFile('kind: TrafficSplit\n', 'r.yaml')).toThrow('kind: Rollout');
    expect(() => rolloutBodyFromFile('kind: Rollout\nspec: 3\n', 'r.yaml')).toThrow('needs a spec mapping');
    expect(() => rolloutBodyFromFile('a: [\n', 'r.yaml')).toThrow(/invalid YAML/);
  });

  it('fail only with ROLLOUT_FILE_INVALID, whatever the input (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          try {
            const body = rolloutBodyFromFile(text, 'f');
            expect(typeof body).toBe('object');
          } catch (err) {
            expect(err).toBeInstanceOf(HeliomeshError);
            expect((err as HeliomeshError).code).toBe('ROLLOUT_FILE_INVALID');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
