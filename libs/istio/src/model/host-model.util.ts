import type { PolicyTarget, RedirectSpec, RouteMatch, StickySpec, StoredPolicy } from '@heliomesh/policy';
import type { JsonPath } from '@heliomesh/util';
import type { MeshService, RolloutRoute } from '../snapshot/snapshot.types.js';
import { ClaimScope, type ClaimCollision, type ClaimSource } from './claims.util.js';
import { matchKey, matchLabel, routeMatchOf } from './match.util.js';

export interface WeightedDestination {
  host: string;
  subset?: string;
  /** Relative weight as given; scaled to sum to 100 when emitted. */
  weight: number;
  /** Where the weight came from inside its source, for findings. */
  path: JsonPath;
}

/** What a route does with a request: weighted destinations, or a redirect answered by the proxy. */
export type RouteAction =
  | { type: 'weighted'; destinations: WeightedDestination[]; sticky?: StickySpec }
  | { type: 'redirect'; redirect: RedirectSpec };

export interface DelayValue {
  fixedDelay: string;
  percentage?: number;
}
export interface AbortValue {
  httpStatus: number;
  percentage?: number;
}
export interface MirrorValue {
  host: string;
  subset?: string;
  port?: number;
  percentage?: number;
}
export interface RetriesValue {
  attempts: number;
  perTryTimeout?: string;
  retryOn?: string;
  retryRemoteLocalities?: boolean;
}

/** VirtualService route fields. Header operations use `headers.<request|response>.<op>.<name>`. */
export const ROUTE_FIELDS = {
  route: 'route',
  delay: 'fault.delay',
  abort: 'fault.abort',
  mirror: 'mirror',
  timeout: 'timeout',
  retries: 'retries',
} as const;

export function headerField(
  direction: 'request' | 'response',
  op: 'set' | 'add' | 'remove',
  name: string,
): string {
  return `headers.${direction}.${op}.${name}`;
}

export interface RouteEntry {
  key: string;
  match: RouteMatch | undefined;
  scope: ClaimScope;
  /** The sources whose targets or rules introduced this match. */
  creators: ClaimSource[];
}

/** The desired state of one host before it becomes Istio objects. */
export interface HostModel {
  host: string;
  service: MeshService;
  /** Fields without a match: every route inherits the ones it does not set itself. */
  serviceScope: ClaimScope;
  routes: Map<string, RouteEntry>;
  destination: { top: ClaimScope; subsets: Map<string, ClaimScope> };
  /** Policies that become objects of their own (AuthorizationPolicy, EnvoyFilter, WasmPlugin). */
  edge: StoredPolicy[];
  /** The rollout that drives the service, if any (the first by id when several are given). */
  rollout?: RolloutRoute;
  collisions: ClaimCollision[];
}

export function createHostModel(host: string, service: MeshService): HostModel {
  const collisions: ClaimCollision[] = [];
  return {
    host,
    service,
    serviceScope: new ClaimScope('route', 'every route of the service', collisions),
    routes: new Map(),
    destination: { top: new ClaimScope('destination', 'traffic policy', collisions), subsets: new Map() },
    edge: [],
    collisions,
  };
}

/** The scope a target (plus optional rule conditions) writes to: the service, or one route. */
export function scopeFor(
  model: HostModel,
  target: PolicyTarget,
  source: ClaimSource,
  extra?: RouteMatch,
): ClaimScope {
  const match = routeMatchOf(target, extra);
  if (!match) return model.serviceScope;
  return routeScope(model, match, source);
}

export function routeScope(model: HostModel, match: RouteMatch, source: ClaimSource): ClaimScope {
  const key = matchKey(match);
  let entry = model.routes.get(key);
  if (!entry) {
    entry = { key, match, scope: new ClaimScope('route', matchLabel(match), model.collisions), creators: [] };
    model.routes.set(key, entry);
  }
  entry.creators.push(source);
  return entry.scope;
}

export function subsetScope(model: HostModel, version: string | undefined): ClaimScope {
  if (version === undefined) return model.destination.top;
  let scope = model.destination.subsets.get(version);
  if (!scope) {
    scope = new ClaimScope('destination', `subset ${version}`, model.collisions);
    model.destination.subsets.set(version, scope);
  }
  return scope;
}

export function policySource(policy: StoredPolicy, path: JsonPath): ClaimSource {
  return { kind: 'policy', policy, path };
}
