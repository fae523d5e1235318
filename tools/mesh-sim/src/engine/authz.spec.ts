import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorizationPolicySpecSchema } from '../config/security.schema.js';
import { authzPathMatcher, authzValueMatcher, ipMatcher } from './authz-match.util.js';
import { compileAuthorizationPolicy, type AuthzContext } from './authz.compiler.js';
import { decideAuthz, type WorkloadAuthz } from './authz.util.js';
import { AUTHORIZATION_POLICY_CHECKS } from './security.checker.js';
import { runChecks } from './validation.types.js';

const ctx = (over: Partial<AuthzContext> = {}): AuthzContext => ({
  principal: 'cluster.local/ns/web/sa/frontend',
  sourceNamespace: 'web',
  sourceIp: '10.0.0.5',
  remoteIp: '10.0.0.5',
  host: 'reviews:9080',
  method: 'GET',
  path: '/reviews/1',
  port: 9080,
  destinationIp: '10.0.1.1',
  headers: {},
  ...over,
});

function policies(...specs: object[]): WorkloadAuthz {
  const out: WorkloadAuthz = { custom: [], deny: [], allow: [] };
  specs.forEach((spec, i) => {
    const p = compileAuthorizationPolicy(authorizationPolicySpecSchema.parse(spec), {
      uid: `p${i}`,
      name: `p${i}`,
      namespace: 'shop',
    });
    if (p.action === 'CUSTOM') out.custom.push(p);
    if (p.action === 'DENY') out.deny.push(p);
    if (p.action === 'ALLOW') out.allow.push(p);
  });
  return out;
}

describe('AuthorizationPolicy decision order (istio-semantics §3)', () => {
  it('allows everything when no policy selects the workload', () => {
    expect(decideAuthz(policies(), ctx())).toBe('allow');
  });

  it('spec {} is an ALLOW with no rules and denies everything; rules [{}] allows everything', () => {
    expect(decideAuthz(policies({}), ctx())).toBe('deny');
    expect(decideAuthz(policies({ rules: [{}] }), ctx())).toBe('allow');
  });

  it('a matching DENY wins over a matching ALLOW', () => {
    const set = policies(
      { rules: [{}] },
      { action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'] } }] }] },
    );
    expect(decideAuthz(set, ctx({ method: 'DELETE' }))).toBe('deny');
    expect(decideAuthz(set, ctx())).toBe('allow');
  });

  it('CUSTOM asks ext_authz first and its deny is final', () => {
    const set = policies(
      {
        action: 'CUSTOM',
        provider: { name: 'ext' },
        rules: [{ to: [{ operation: { paths: ['/admin/*'] } }] }],
      },
      { rules: [{}] },
    );
    expect(decideAuthz(set, ctx({ path: '/admin/x' }))).toBe('custom-deny');
    expect(decideAuthz(set, ctx({ path: '/admin/x', headers: { 'x-ext-authz': 'allow' } }))).toBe('allow');
    expect(decideAuthz(set, ctx())).toBe('allow');
  });

  it('ANDs from/to/when, ORs values, and honours notX', () => {
    const set = policies({
      rules: [
        {
          from: [{ source: { namespaces: ['web'] } }],
          to: [{ operation: { methods: ['GET', 'HEAD'], notPaths: ['/private*'] } }],
          when: [{ key: 'request.headers[x-tenant]', values: ['acme'] }],
        },
      ],
    });
    const ok = ctx({ headers: { 'x-tenant': 'acme' } });
    expect(decideAuthz(set, ok)).toBe('allow');
    expect(decideAuthz(set, { ...ok, method: 'POST' })).toBe('deny');
    expect(decideAuthz(set, { ...ok, path: '/private/x' })).toBe('deny');
    expect(decideAuthz(set, { ...ok, sourceNamespace: 'other' })).toBe('deny');
    expect(decideAuthz(set, ctx())).toBe('deny');
  });

  it('plaintext carries no identity: identity ALLOW rules never match, notPrincipals does', () => {
    const allow = policies({ rules: [{ from: [{ source: { principals: ['*'] } }] }] });
    expect(decideAuthz(allow, ctx())).toBe('allow');
    expect(decideAuthz(allow, ctx({ principal: '', sourceNamespace: '' }))).toBe('deny');
    const deny = policies({
      action: 'DENY',
      rules: [{ from: [{ source: { notPrincipals: ['cluster.local/ns/web/sa/frontend'] } }] }],
    });
    expect(decideAuthz(deny, ctx({ principal: '' }))).toBe('deny');
    expect(decideAuthz(deny, ctx())).toBe('allow');
  });

  it('matches hosts case-insensitively, ports as strings, and ipBlocks as CIDRs', () => {
    const set = policies({
      rules: [
        {
          to: [{ operation: { hosts: ['Reviews'], ports: ['9080'] } }],
          from: [{ source: { ipBlocks: ['10.0.0.0/24'] } }],
        },
      ],
    });
    expect(decideAuthz(set, ctx())).toBe('allow');
    expect(decideAuthz(set, ctx({ sourceIp: '10.0.1.5' }))).toBe('deny');
    expect(decideAuthz(set, ctx({ port: 8080 }))).toBe('deny');
  });

  it('validates like istiod', () => {
    const check = (spec: object) =>
      runChecks(AUTHORIZATION_POLICY_CHECKS, authorizationPolicySpecSchema.parse(spec), 'shop').map(
        (p) => p.message,
      );
    expect(check({ action: 'DENY' })).toContain('a DENY policy needs at least one rule');
    expect(check({ action: 'CUSTOM', rules: [{}] })).toContain('a CUSTOM policy needs provider.name');
    expect(
      check({ rules: [{ from: [{ source: { serviceAccounts: ['a/b'], principals: ['x'] } }] }] }),
    ).toContain('serviceAccounts cannot be combined with principals or namespaces');
    expect(check({ rules: [{ when: [{ key: 'request.magic', values: ['x'] }] }] })).toContain(
      'unknown condition key request.magic',
    );
    expect(check({ rules: [{}] })).toEqual([]);
  });
});

describe('authz value matching', () => {
  it('supports exact, prefix, suffix and presence (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (pattern, value) => {
        const clean = pattern.replace(/\*/g, '');
        fc.pre(clean.length > 0);
        expect(authzValueMatcher(clean)(value)).toBe(value === clean);
        expect(authzValueMatcher(`${clean}*`)(value)).toBe(value.startsWith(clean));
        expect(authzValueMatcher(`*${clean}`)(value)).toBe(value.endsWith(clean));
        expect(authzValueMatcher('*')(value)).toBe(value !== '');
      }),
    );
  });

  it('supports {*} and {**} path templates', () => {
    expect(authzPathMatcher('/store/{*}/items')('/store/42/items')).toBe(true);
    expect(authzPathMatcher('/store/{*}/items')('/store/4/2/items')).toBe(false);
    expect(authzPathMatcher('/store/{**}')('/store/a/b/c')).toBe(true);
    expect(authzPathMatcher('/a.b/{*}')('/axb/1')).toBe(false);
  });

  it('matches IPv4 CIDRs exactly (property)', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (network, ip, bits) => {
        const toInt = (s: string) => s.split('.').reduce((n, p) => n * 256 + Number(p), 0);
        const mask = bits === 0 ? 0 : Number((BigInt(0xffffffff) << BigInt(32 - bits)) & BigInt(0xffffffff));
        const expected = (toInt(network) & mask) >>> 0 === (toInt(ip) & mask) >>> 0;
        expect(ipMatcher(`${network}/${bits}`)(ip)).toBe(expected);
      }),
    );
  });
});
