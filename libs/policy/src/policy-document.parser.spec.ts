import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyBodyArb } from '../test/policy.arbitraries.js';
import { formatPolicyDocuments, parsePolicyDocuments } from './index.js';

const doc = (spec: string, meta = 'name: reviews-canary\n  namespace: bookinfo', kind = 'TrafficSplit') =>
  `apiVersion: heliomesh.io/v1alpha1\nkind: ${kind}\nmetadata:\n  ${meta}\nspec:\n${spec}`;
const SPLIT = '  target:\n    service: reviews\n  weights:\n    - version: v1\n      weight: 100\n';

describe('parsePolicyDocuments', () => {
  it('reads several documents, fills the target namespace from metadata and skips empty ones', () => {
    const result = parsePolicyDocuments(
      `${doc(SPLIT)}---\n---\n${doc('  target: {service: ratings}\n  timeout: 2s\n', 'name: t\n  namespace: shop', 'Timeout')}---\n`,
    );
    expect(result.findings).toEqual([]);
    expect(result.policies).toEqual([
      {
        document: 0,
        policy: {
          name: 'reviews-canary',
          kind: 'TrafficSplit',
          target: { namespace: 'bookinfo', service: 'reviews' },
          spec: { weights: [{ version: 'v1', weight: 100 }] },
        },
      },
      {
        document: 2,
        policy: {
          name: 't',
          kind: 'Timeout',
          target: { namespace: 'shop', service: 'ratings' },
          spec: { timeout: '2s' },
        },
      },
    ]);
  });

  it('reports each bad document with its index and the path inside the document', () => {
    const text = [
      doc(SPLIT.replace('weight: 100', 'weight: 100\n      share: 3')),
      doc(SPLIT, 'name: Bad_Name\n  namespace: bookinfo'),
      doc(SPLIT.replace('service: reviews', 'service: reviews\n    namespace: other')),
      doc(SPLIT, 'name: x'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nspec: {}\n',
      'key: [unclosed\n',
      '- just\n- a list\n',
    ].join('---\n');
    const { policies, findings } = parsePolicyDocuments(text);
    expect(policies).toEqual([]);
    const at = (n: number) => findings.filter((f) => f.document === n).map((f) => f.path.join('.'));
    expect(at(0)).toEqual(['spec.weights.0.share']);
    expect(at(1)).toEqual(['metadata.name']);
    expect(at(2)).toEqual(['spec.target.namespace']);
    expect(at(3)).toEqual(['metadata.namespace']);
    expect(at(4)).toEqual(['apiVersion', 'kind']);
    expect(at(5)).toEqual(['']);
    expect(at(6)).toEqual(['']);
    expect(findings.every((f) => f.code === 'HM0001' && f.message.length > 0)).toBe(true);
  });

  it('reads YAML 1.1 as Kubernetes does and refuses alias bombs', () => {
    const onValue = parsePolicyDocuments(
      doc(
        '  target: {service: r}\n  rules:\n    - match: {headers: {x: {exact: on}}}\n      version: v1\n',
        undefined,
        'RequestRouting',
      ),
    );
    expect(onValue.findings[0]!.path.join('.')).toBe('spec.rules.0.match.headers.x.exact');
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expect(parsePolicyDocuments(bomb).findings[0]!.message).toMatch(/invalid YAML/);
  });

  it('round-trips any valid policy through its document form', () => {
    fc.assert(
      fc.property(fc.array(policyBodyArb, { minLength: 1, maxLength: 4 }), (bodies) => {
        const { policies, findings } = parsePolicyDocuments(formatPolicyDocuments(bodies));
        expect(findings).toEqual([]);
        expect(policies.map((p) => p.policy)).toEqual(bodies);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary text, and every finding has a document index', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const { findings } = parsePolicyDocuments(text);
          for (const f of findings) expect(Number.isInteger(f.document) && f.document >= 0).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
