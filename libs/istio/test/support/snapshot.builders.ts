import type { StoredPolicy } from '@heliomesh/policy';
import type {
  CompileSnapshot,
  ForeignObject,
  MeshService,
  MtlsMode,
  RolloutRoute,
  ServicePort,
} from '../../src/index.js';

export { policyBuilders as p } from '@heliomesh/policy';

/**
 * Snapshot builders for table tests: `service('reviews', { v1: 3, v2: 1 })` is a service whose
 * versions carry `app` and `version` labels and the given pod counts.
 */
export function service(
  name: string,
  versions: Record<string, number> = { v1: 3, v2: 3 },
  opts: { namespace?: string; ports?: ServicePort[]; selector?: Record<string, string> } = {},
): MeshService {
  return {
    name,
    namespace: opts.namespace ?? 'bookinfo',
    ports: opts.ports ?? [{ name: 'http', port: 9080, protocol: 'HTTP' }],
    versions: Object.entries(versions).map(([version, pods]) => ({
      name: version,
      labels: { app: name, version },
      pods,
    })),
    ...(opts.selector ? { selector: opts.selector } : {}),
  };
}

export interface SnapshotOptions {
  services?: MeshService[];
  policies?: StoredPolicy[];
  rollouts?: RolloutRoute[];
  foreignObjects?: ForeignObject[];
  mtls?: Record<string, MtlsMode>;
  cluster?: string;
}

/** A one-tenant snapshot; by default the bookinfo services reviews, ratings and productpage. */
export function snapshot(opts: SnapshotOptions = {}): CompileSnapshot {
  return {
    tenant: { id: 't-1', name: 'acme' },
    services: opts.services ?? [
      service('reviews', { v1: 3, v2: 3, v3: 3 }),
      service('ratings'),
      service('productpage', { v1: 2 }),
    ],
    policies: opts.policies ?? [],
    ...(opts.rollouts ? { rollouts: opts.rollouts } : {}),
    ...(opts.foreignObjects ? { foreignObjects: opts.foreignObjects } : {}),
    ...(opts.mtls ? { mtls: opts.mtls } : {}),
    ...(opts.cluster ? { cluster: opts.cluster } : {}),
  };
}

export function rollout(overrides: Partial<RolloutRoute> = {}): RolloutRoute {
  return {
    rolloutId: 'ro-1',
    service: 'reviews',
    namespace: 'bookinfo',
    stable: 'v1',
    canary: 'v2',
    canaryWeight: 20,
    ...overrides,
  };
}

export function foreignVirtualService(
  hosts: string[],
  name = 'user-reviews',
  namespace = 'bookinfo',
): ForeignObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace },
    spec: { hosts },
  };
}

export const REVIEWS = 'reviews.bookinfo.svc.cluster.local';
