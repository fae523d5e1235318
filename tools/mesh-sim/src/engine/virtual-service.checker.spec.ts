import { describe, expect, it } from 'vitest';
import { virtualServiceSpecSchema } from '../config/networking.schema.js';
import { runChecks } from './validation.types.js';
import { VIRTUAL_SERVICE_CHECKS } from './virtual-service.checker.js';

function problems(spec: unknown): string[] {
  return runChecks(VIRTUAL_SERVICE_CHECKS, virtualServiceSpecSchema.parse(spec), 'shop').map(
    (p) => `${p.path.join('.')}: ${p.message}`,
  );
}

const route = [{ destination: { host: 'reviews' } }];

describe('VirtualService validation (istio-semantics §1.9)', () => {
  it('accepts a valid VirtualService', () => {
    expect(
      problems({
        hosts: ['reviews'],
        http: [{ route, timeout: '2s', retries: { attempts: 3, retryOn: '5xx,503' } }],
      }),
    ).toEqual([]);
  });

  it('rejects host problems', () => {
    expect(problems({ hosts: [], http: [{ route }] })[0]).toMatch(/at least one host/);
    expect(problems({ hosts: ['*'], http: [{ route }] })[0]).toMatch(/not allowed/);
    expect(problems({ hosts: ['*'], gateways: ['gw'], http: [{ route }] })).toEqual([]);
    expect(problems({ hosts: ['*.shop.svc.cluster.local', 'reviews'], http: [{ route }] })[0]).toMatch(
      /overlaps/,
    );
    expect(problems({ hosts: ['reviews'], exportTo: ['*', 'shop'], http: [{ route }] })[0]).toMatch(
      /cannot be combined/,
    );
  });

  it('rejects rules without exactly one action and forbidden combinations', () => {
    expect(problems({ hosts: ['r'], http: [{}] })[0]).toMatch(/exactly one/);
    expect(problems({ hosts: ['r'], http: [{ route, redirect: { uri: '/x' } }] })[0]).toMatch(/exactly one/);
    expect(
      problems({
        hosts: ['r'],
        http: [{ redirect: { uri: '/x' }, fault: { abort: { httpStatus: 500 } } }],
      })[0],
    ).toMatch(/cannot be combined/);
    expect(
      problems({
        hosts: ['r'],
        http: [{ route, mirror: { host: 'a' }, mirrors: [{ destination: { host: 'b' } }] }],
      })[0],
    ).toMatch(/either mirror or mirrors/);
    expect(problems({ hosts: ['r'] })[0]).toMatch(/http, tcp or tls/);
  });

  it('rejects bad weights', () => {
    expect(
      problems({ hosts: ['r'], http: [{ route: [{ destination: { host: 'a' }, weight: -1 }] }] })[0],
    ).toMatch(/>= 0/);
    expect(
      problems({
        hosts: ['r'],
        http: [{ route: [{ destination: { host: 'a' }, weight: 0 }, { destination: { host: 'b' } }] }],
      })[0],
    ).toMatch(/must not all be 0/);
  });

  it('rejects bad retries and durations', () => {
    expect(
      problems({ hosts: ['r'], http: [{ route, retries: { attempts: 0, perTryTimeout: '1s' } }] })[0],
    ).toMatch(/attempts: 0/);
    expect(
      problems({ hosts: ['r'], http: [{ route, retries: { attempts: 2, retryOn: '5xx,sometimes' } }] })[0],
    ).toMatch(/unknown retryOn token sometimes/);
    expect(problems({ hosts: ['r'], http: [{ route, timeout: '500us' }] })[0]).toMatch(/at least 1ms/);
    expect(problems({ hosts: ['r'], http: [{ route, timeout: '1.0005s' }] })[0]).toMatch(
      /millisecond precision/,
    );
  });

  it('rejects bad faults', () => {
    const fault = (f: object) => problems({ hosts: ['r'], http: [{ route, fault: f }] })[0];
    expect(fault({})).toMatch(/delay, an abort/);
    expect(fault({ abort: { httpStatus: 600 } })).toMatch(/between 200 and 599/);
    expect(fault({ abort: { grpcStatus: 'NOPE' } })).toMatch(/unknown gRPC status/);
    expect(fault({ abort: { http2Error: 'X' } })).toMatch(/not supported/);
    expect(fault({ delay: { exponentialDelay: '1s' } })).toMatch(/exponentialDelay/);
    expect(fault({ abort: { httpStatus: 503, percentage: { value: 0.00001 } } })).toMatch(
      /0 or at least 0.0001/,
    );
    expect(fault({ abort: { httpStatus: 503, percentage: { value: 101 } } })).toMatch(/between 0 and 100/);
    expect(fault({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 10 } } })).toBeUndefined();
  });

  it('rejects setting the authority in two places', () => {
    expect(
      problems({
        hosts: ['r'],
        http: [{ route, rewrite: { authority: 'a' }, headers: { request: { set: { host: 'b' } } } }],
      })[0],
    ).toMatch(/either with rewrite.authority/);
  });

  it('rejects bad redirects, direct responses and matches', () => {
    expect(problems({ hosts: ['r'], http: [{ redirect: { redirectCode: 305 } }] })[0]).toMatch(/301, 302/);
    expect(problems({ hosts: ['r'], http: [{ directResponse: { status: 100 } }] })[0]).toMatch(
      /between 200 and 599/,
    );
    expect(
      problems({ hosts: ['r'], http: [{ match: [{ headers: { 'X-User': { exact: 'a' } } }], route }] })[0],
    ).toMatch(/lowercase/);
    expect(
      problems({ hosts: ['r'], http: [{ match: [{ headers: { x: { prefix: '' } } }], route }] })[0],
    ).toMatch(/empty prefix/);
    expect(problems({ hosts: ['r'], http: [{ match: [{ uri: { prefix: '' } }], route }] })).toEqual([]);
    expect(problems({ hosts: ['r'], http: [{ match: [{ uri: { regex: '(?<=a)b' } }], route }] })[0]).toMatch(
      /invalid RE2/,
    );
    expect(
      problems({ hosts: ['r'], http: [{ match: [{ uri: { regex: 'a'.repeat(1025) } }], route }] })[0],
    ).toMatch(/1024/);
    expect(
      problems({ hosts: ['r'], http: [{ match: [{ uri: { exact: '/a', prefix: '/b' } }], route }] })[0],
    ).toMatch(/only one/);
    expect(
      problems({
        hosts: ['r'],
        http: [{ match: [{ headers: { '@request.auth.claims.sub': { exact: 'a' } } }], route }],
      })[0],
    ).toMatch(/only allowed on gateways/);
  });
});
