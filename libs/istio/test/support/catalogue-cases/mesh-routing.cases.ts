import {
  acl,
  foreignVirtualService,
  header,
  p,
  plugin,
  rollout,
  routeOn,
  s,
  service,
  type Cases,
} from './case.util.js';
import type { StoredPolicy } from '@heliomesh/policy';

/** Failing and passing cases: HM0xxx (schema, mesh) and HM1xxx (routing). */
export const MESH_AND_ROUTING_CASES: Cases = {
  HM0000: [
    () => s([], { services: [{ ...service('reviews'), versions: null as unknown as [] }] }),
    () => s([]),
  ],
  HM0001: [
    () => s([{ ...p.timeout('1s'), spec: { timeout: '1s', bogus: 1 } } as unknown as StoredPolicy]),
    () => s([p.timeout('1s')]),
  ],
  HM0002: [() => s([p.timeout('1s', { service: 'nope' })]), () => s([p.timeout('1s')])],
  HM0003: [() => s([], { services: [service('reviews'), service('reviews')] }), () => s([])],
  HM0004: [
    () => s([], { foreignObjects: [foreignVirtualService(['reviews'])] }),
    () => s([], { foreignObjects: [foreignVirtualService(['other'])] }),
  ],
  HM0005: [
    () => s([], { foreignObjects: [foreignVirtualService(['elsewhere'], 'heliomesh-reviews')] }),
    () => s([], { foreignObjects: [foreignVirtualService(['elsewhere'], 'user-vs')] }),
  ],
  HM0006: [
    () =>
      s([], {
        foreignObjects: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'DestinationRule',
            metadata: { name: 'dr', namespace: 'bookinfo' },
            spec: { host: 'reviews' },
          },
        ],
      }),
    () =>
      s([], {
        foreignObjects: [
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'DestinationRule',
            metadata: { name: 'dr', namespace: 'bookinfo' },
            spec: { host: 'details' },
          },
        ],
      }),
  ],
  HM0007: [() => s([plugin({ priority: 2 ** 40 })]), () => s([plugin({ priority: 10 })])],
  HM0008: [() => ({ ...s([]), tenant: { id: 't', name: 'Acme Corp' } }), () => s([])],
  HM0009: [
    () =>
      s([
        acl({ action: 'DENY', from: { ipBlocks: ['10.0.0.1'] } }, 'deny-bots'),
        p.accessControl(
          { action: 'DENY', from: { ipBlocks: ['10.0.0.2'] } },
          { name: 'deny-bots', service: 'ratings', id: 'pol-other' },
        ),
      ]),
    () =>
      s([
        acl({ action: 'DENY', from: { ipBlocks: ['10.0.0.1'] } }, 'deny-bots'),
        p.accessControl(
          { action: 'DENY', from: { ipBlocks: ['10.0.0.2'] } },
          { name: 'deny-crawlers', service: 'ratings' },
        ),
      ]),
  ],
  HM0010: [
    () =>
      s([
        p.circuitBreaker(
          { connectionPool: { tcp: { maxConnections: 10 } } },
          { target: { match: { uri: { prefix: '/a' } } } },
        ),
      ]),
    () => s([p.circuitBreaker({ connectionPool: { tcp: { maxConnections: 10 } } })]),
  ],
  HM0011: [
    () => s([p.timeout('1s', { target: { port: 8080 } })]),
    () => s([p.timeout('1s', { target: { port: 9080 } })]),
  ],
  HM1001: [() => s([p.trafficSplit({ v1: -10, v2: 110 })]), () => s([p.trafficSplit({ v1: 10, v2: 90 })])],
  HM1002: [() => s([p.trafficSplit({ v1: 0, v2: 0 })]), () => s([p.trafficSplit({ v1: 0, v2: 100 })])],
  HM1003: [() => s([p.trafficSplit({ v1: 50, v9: 50 })]), () => s([p.trafficSplit({ v1: 50, v2: 50 })])],
  HM1004: [() => s([p.trafficSplit({ v1: 1, v2: 1 })]), () => s([p.trafficSplit({ v1: 50, v2: 50 })])],
  HM1005: [
    () => s([p.trafficSplit({ v1: 50, v2: 50 })], { services: [service('reviews', { v1: 3, v2: 0 })] }),
    () => s([p.trafficSplit({ v1: 100, v2: 0 })], { services: [service('reviews', { v1: 3, v2: 0 })] }),
  ],
  HM1006: [
    () => s([routeOn(header('x-user', { regex: '(?<=a)b' }))]),
    () => s([routeOn(header('x-user', { regex: '^a.*$' }))]),
  ],
  HM1007: [
    () => s([routeOn(header('x-user', { regex: 'a'.repeat(1100) }))]),
    () => s([routeOn(header('x-user', { regex: 'a{2}' }))]),
  ],
  HM1008: [() => s([p.abort(503, 150)]), () => s([p.abort(503, 50)])],
  HM1009: [() => s([p.abort(503, undefined)]), () => s([p.abort(503, 5)])],
  HM1010: [() => s([p.mirror({ version: 'v2' }, undefined)]), () => s([p.mirror({ version: 'v2' }, 10)])],
  HM1011: [
    () => s([p.trafficSplit({ v2: 100 }), p.mirror({ version: 'v2' }, 10)]),
    () => s([p.trafficSplit({ v1: 100 }), p.mirror({ version: 'v2' }, 10)]),
  ],
  HM1012: [() => s([p.abort(700, 10)]), () => s([p.abort(503, 10)])],
  HM1013: [
    () =>
      s([
        p.requestRouting({
          rules: [{ match: { uri: { exact: '/old' } }, redirect: { uri: '/new', code: 305 } }],
        }),
      ]),
    () =>
      s([
        p.requestRouting({
          rules: [{ match: { uri: { exact: '/old' } }, redirect: { uri: '/new', code: 301 } }],
        }),
      ]),
  ],
  HM1014: [
    () =>
      s([
        p.requestRouting({ rules: [{ match: { uri: { exact: '/old' } }, redirect: { uri: '/new' } }] }),
        p.abort(503, 10, { target: { match: { uri: { exact: '/old' } } } }),
      ]),
    () =>
      s([
        p.requestRouting({ rules: [{ match: { uri: { exact: '/old' } }, redirect: { uri: '/new' } }] }),
        p.abort(503, 10, { target: { match: { uri: { exact: '/other' } } } }),
      ]),
  ],
  HM1015: [
    () => s([p.retry({ attempts: 3, perTryTimeout: '2s' }), p.timeout('5s')]),
    () => s([p.retry({ attempts: 3, perTryTimeout: '2s' }), p.timeout('10s')]),
  ],
  HM1016: [
    () => s([p.retry({ attempts: 2, retryOn: ['5xx', 'bogus'] })]),
    () => s([p.retry({ attempts: 2, retryOn: ['5xx', '503'] })]),
  ],
  HM1017: [() => s([p.timeout('1.5ms')]), () => s([p.timeout('500ms')])],
  HM1018: [
    () =>
      s([
        p.requestRouting({
          rules: [
            { match: header('x', { exact: '1' }), version: 'v2' },
            { match: header('x', { exact: '1' }), version: 'v3' },
          ],
        }),
      ]),
    () =>
      s([
        p.requestRouting({
          rules: [
            { match: header('x', { exact: '1' }), version: 'v2' },
            { match: header('x', { exact: '2' }), version: 'v3' },
          ],
        }),
      ]),
  ],
  HM1019: [
    () =>
      s([
        p.requestRouting({
          rules: [
            { match: header('x', { exact: '1' }), version: 'v2' },
            { match: { uri: { prefix: '/api' } }, version: 'v3' },
          ],
        }),
      ]),
    () =>
      s([
        p.requestRouting({
          rules: [
            { match: { uri: { prefix: '/api' } }, version: 'v3' },
            { match: header('x', { exact: '1' }), version: 'v2' },
          ],
        }),
      ]),
  ],
  HM1020: [
    () => s([routeOn(header('End-User', { exact: 'jason' }))]),
    () => s([routeOn(header('end-user', { exact: 'jason' }))]),
  ],
  HM1021: [
    () =>
      s([
        p.requestRouting({
          rules: [{ match: header('x', { exact: '1' }), version: 'v2' }],
          fullLink: {
            header: { name: 'x-gray', value: 'on' },
            services: [{ service: 'nope', version: 'v2' }],
          },
        }),
      ]),
    () =>
      s([
        p.requestRouting({
          rules: [{ match: header('x', { exact: '1' }), version: 'v2' }],
          fullLink: {
            header: { name: 'x-gray', value: 'on' },
            services: [{ service: 'ratings', version: 'v2' }],
          },
        }),
      ]),
  ],
  HM1022: [() => s([routeOn(header('x', { prefix: '' }))]), () => s([routeOn(header('x', { prefix: 'a' }))])],
  HM1023: [
    () => s([p.retry({ attempts: 0, perTryTimeout: '1s' })]),
    () => s([p.retry({ attempts: 2, perTryTimeout: '1s' })]),
  ],
  HM1024: [
    () => s([p.timeout('1s', { target: { port: 9080, match: { port: 9090 } } })]),
    () => s([p.timeout('1s', { target: { port: 9080, match: { port: 9080 } } })]),
  ],
  HM1025: [
    () => s([], { rollouts: [rollout({ canaryWeight: 120 })] }),
    () => s([], { rollouts: [rollout({ canaryWeight: 20 })] }),
  ],
  HM1026: [
    () => s([routeOn({ sourceNamespace: 'Bad_NS' })]),
    () => s([routeOn({ sourceNamespace: 'frontend' })]),
  ],
  HM1027: [
    () =>
      s([
        p.policy('TrafficSplit', {
          weights: [
            { version: 'v1', weight: 50 },
            { version: 'v1', weight: 50 },
          ],
        }),
      ]),
    () =>
      s([
        p.policy('TrafficSplit', {
          weights: [
            { version: 'v1', weight: 50 },
            { version: 'v2', weight: 50 },
          ],
        }),
      ]),
  ],
};
