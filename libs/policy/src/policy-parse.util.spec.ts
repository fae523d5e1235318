import { HeliomeshError } from '@heliomesh/util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyBodyArb } from '../test/policy.arbitraries.js';
import {
  assertPolicyBody,
  parsePolicyBody,
  parseStoredPolicy,
  policyBuilders as b,
  POLICY_KINDS,
  type PolicyBody,
  type StoredPolicy,
} from './index.js';

const body = ({ id: _id, revision: _r, ...rest }: StoredPolicy): PolicyBody => rest as PolicyBody;

/** One readable example per kind, the ones the README shows. */
const EXAMPLES: StoredPolicy[] = [
  b.trafficSplit({ v1: 90, v2: 10 }),
  b.headerRoute('end-user', 'jason', 'v2'),
  b.abort(503, 10),
  b.mirror({ version: 'v3' }, 20),
  b.timeout('3s'),
  b.retry({ attempts: 3, perTryTimeout: '1s', retryOn: ['5xx'] }),
  b.circuitBreaker({ connectionPool: { tcp: { maxConnections: 100 } } }),
  b.loadBalancer({ simple: 'ROUND_ROBIN' }),
  b.rateLimit({ requests: 100, unit: 'second', burst: 200 }),
  b.accessControl({ action: 'DENY', from: { ipBlocks: ['10.0.0.0/8'] } }),
  b.plugin({ url: 'oci://ghcr.io/acme/auth:1' }),
  b.headers({ request: { set: { 'x-a': '1' } } }),
];

const issuesOf = (input: unknown) => {
  const r = parsePolicyBody(input);
  return r.ok ? [] : r.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('policy schemas', () => {
  it('has a valid example of every kind', () => {
    expect(EXAMPLES.map((p) => p.kind)).toEqual([...POLICY_KINDS]);
    for (const p of EXAMPLES) {
      expect(parsePolicyBody(body(p))).toEqual({ ok: true, value: body(p) });
      expect(parseStoredPolicy(p)).toEqual({ ok: true, value: p });
    }
  });

  it.each(EXAMPLES.map((p) => [p.kind, p] as const))(
    '%s rejects an unknown spec field at its own path',
    (_, p) => {
      expect(issuesOf({ ...body(p), spec: { ...p.spec, colour: 'red' } })).toEqual([
        { path: 'spec.colour', message: 'unknown field "colour": remove it or check its spelling' },
      ]);
    },
  );

  it('rejects unknown fields in the envelope, the target and nested objects', () => {
    const p = body(b.timeout('1s'));
    expect(issuesOf({ ...p, owner: 'me' })[0]!.path).toBe('owner');
    expect(issuesOf({ ...p, target: { ...p.target, svc: 'x' } })[0]!.path).toBe('target.svc');
    expect(
      issuesOf({ ...p, target: { ...p.target, match: { uri: { exact: '/', glob: '*' } } } })[0]!.path,
    ).toBe('target.match.uri.glob');
  });

  it('explains what is wrong', () => {
    expect(issuesOf({ ...body(b.timeout('1s')), name: 'Not_A_Label' })[0]!.message).toContain(
      'DNS-1123 label',
    );
    expect(issuesOf({ ...body(b.timeout('1s')), spec: { timeout: '5 seconds' } })[0]).toEqual({
      path: 'spec.timeout',
      message: expect.stringContaining('duration'),
    });
    expect(
      issuesOf({
        ...body(b.timeout('1s')),
        target: { namespace: 'a', service: 'b', match: { uri: { exact: '/', prefix: '/' } } },
      })[0]!.message,
    ).toContain('exactly one of');
    expect(issuesOf({ ...body(b.timeout('1s')), kind: 'Canary' })[0]!.path).toBe('kind');
    expect(
      issuesOf({
        ...body(b.trafficSplit({ v1: 1 })),
        spec: { weights: [{ version: 'v1', weight: 1.5 }] },
      })[0]!.path,
    ).toBe('spec.weights.0.weight');
    expect(issuesOf({ ...body(b.fault({ abort: { httpStatus: 500 } })), spec: {} })[0]!.message).toContain(
      '"delay", an "abort"',
    );
  });

  it('turns issues into a 422 HeliomeshError with the path and every detail', () => {
    try {
      assertPolicyBody({ ...body(b.timeout('1s')), spec: { timeout: 'soon', extra: 1 } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HeliomeshError);
      const e = err as HeliomeshError;
      expect([e.code, e.status, e.path]).toEqual(['POLICY_INVALID', 422, '$.spec.timeout']);
      expect(e.details.map((d) => d.path).sort()).toEqual(['$.spec.extra', '$.spec.timeout']);
      expect(e.message).toMatch(/^The policy is not valid: \$\.spec\.timeout: .*Fix the field/);
    }
  });

  it('accepts every generated schema-valid body and never throws on arbitrary input', () => {
    fc.assert(
      fc.property(policyBodyArb, (p) => {
        expect(parsePolicyBody(p)).toEqual({ ok: true, value: p });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = parsePolicyBody(input);
        if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
