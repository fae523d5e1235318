import type { RouteMatch } from '@heliomesh/policy';
import type { JsonPath } from '@heliomesh/util';
import type { Claim, ClaimCollision, ClaimSource } from '../model/claims.util.js';
import { sourceLabel } from '../model/claims.util.js';
import {
  ROUTE_FIELDS,
  type AbortValue,
  type DelayValue,
  type HostModel,
  type MirrorValue,
  type RetriesValue,
  type RouteAction,
} from '../model/host-model.util.js';
import { matchLabel } from '../model/match.util.js';
import { stickyCookie, type ResolvedRoute } from '../model/resolve-routes.util.js';
import { distributeWeights } from '../model/weights.util.js';
import type { ExplainEntry } from './explain.types.js';
import type {
  IstioHeaderOperations,
  IstioHttpMatch,
  IstioHttpRoute,
  IstioRouteDestination,
  VirtualService,
} from './istio-objects.types.js';
import {
  explainFrom,
  explainFromService,
  generatedName,
  objectMeta,
  sortKeysDeep,
} from './object-meta.util.js';

export interface EmitResult<T> {
  object: T;
  explain: ExplainEntry[];
}

interface RouteContext {
  ref: { kind: 'VirtualService'; name: string; namespace: string };
  explain: ExplainEntry[];
  overrides: Map<string, ClaimSource>;
  sources: ClaimSource[];
}

/** The one VirtualService of a host: every resolved route, in order, default route last. */
export function compileVirtualService(
  model: HostModel,
  routes: readonly ResolvedRoute[],
  tenant: string,
): EmitResult<VirtualService> {
  const { service } = model;
  const name = generatedName(service.name);
  const ctx: RouteContext = {
    ref: { kind: 'VirtualService', name, namespace: service.namespace },
    explain: [
      explainFromService(
        { kind: 'VirtualService', name, namespace: service.namespace },
        ['spec', 'hosts'],
        `host of service ${service.namespace}/${service.name}`,
      ),
    ],
    overrides: overriddenBy(model.collisions),
    sources: [],
  };
  const http = routes.map((route, i) => compileRoute(model, route, ['spec', 'http', i], ctx));
  const object: VirtualService = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: objectMeta(name, service.namespace, tenant, service.name, ctx.sources),
    spec: sortKeysDeep({ hosts: [model.host], http }),
  };
  return { object, explain: ctx.explain };
}

/** For each route field a rollout took over, the policy it overrode (for explain notes). */
function overriddenBy(collisions: readonly ClaimCollision[]): Map<string, ClaimSource> {
  const out = new Map<string, ClaimSource>();
  for (const c of collisions)
    if (c.overridden && c.object === 'route') out.set(`${c.scope}|${c.field}`, c.other);
  return out;
}

function compileRoute(
  model: HostModel,
  route: ResolvedRoute,
  at: JsonPath,
  ctx: RouteContext,
): IstioHttpRoute {
  const out: IstioHttpRoute = { name: route.name };
  const record = (field: string, path: JsonPath, claim: Claim) => {
    ctx.sources.push(claim.source);
    const overridden = ctx.overrides.get(
      `${route.inherited.has(field) ? 'every route of the service' : labelOf(route)}|${field}`,
    );
    const note = [
      route.inherited.has(field) ? 'inherited from a setting that covers every route of the service' : '',
      overridden ? `overrides ${sourceLabel(overridden)} while the rollout runs` : '',
    ]
      .filter(Boolean)
      .join('; ');
    ctx.explain.push(explainFrom(ctx.ref, [...at, ...path], claim.source, note || undefined));
  };
  if (route.match) {
    out.match = [toIstioMatch(route.match)];
    for (const creator of route.creators)
      record('match', ['match', 0], { value: undefined, source: creator });
  }
  compileAction(model, route, out, at, ctx, record);
  for (const [field, claim] of route.fields) compileField(field, claim, out, record);
  return out;
}

function labelOf(route: ResolvedRoute): string {
  return route.match ? matchLabel(route.match) : 'every route of the service';
}

type Recorder = (field: string, path: JsonPath, claim: Claim) => void;

function compileAction(
  model: HostModel,
  route: ResolvedRoute,
  out: IstioHttpRoute,
  at: JsonPath,
  ctx: RouteContext,
  record: Recorder,
): void {
  const claim = route.fields.get(ROUTE_FIELDS.route) as Claim<RouteAction> | undefined;
  if (!claim) {
    out.route = [{ destination: { host: model.host }, weight: 100 }];
    ctx.explain.push(
      explainFromService(ctx.ref, [...at, 'route'], 'no policy routes this match: all pods of the service'),
    );
    return;
  }
  record(ROUTE_FIELDS.route, [claim.value.type === 'redirect' ? 'redirect' : 'route'], claim);
  if (claim.value.type === 'redirect') {
    const { uri, authority, code } = claim.value.redirect;
    out.redirect = { uri, authority, redirectCode: code };
    return;
  }
  const cookie = route.stickyVersion === undefined ? stickyCookie(claim.value) : undefined;
  const weights = distributeWeights(claim.value.destinations.map((d) => d.weight));
  out.route = claim.value.destinations.map((d, i): IstioRouteDestination => {
    const dest: IstioRouteDestination = {
      destination: { host: d.host, ...(d.subset === undefined ? {} : { subset: d.subset }) },
      weight: weights[i]!,
    };
    if (cookie && d.subset !== undefined && weights[i]! > 0)
      dest.headers = {
        response: {
          add: { 'set-cookie': `${cookie.name}=${d.subset}; Max-Age=${cookie.maxAgeSeconds}; Path=/` },
        },
      };
    return dest;
  });
}

function compileField(field: string, claim: Claim, out: IstioHttpRoute, record: Recorder): void {
  if (field === ROUTE_FIELDS.route) return;
  if (field === ROUTE_FIELDS.delay || field === ROUTE_FIELDS.abort) {
    const kind = field === ROUTE_FIELDS.delay ? 'delay' : 'abort';
    const value = claim.value as DelayValue | AbortValue;
    const { percentage, ...rest } = value;
    out.fault = {
      ...out.fault,
      [kind]: { ...rest, ...(percentage === undefined ? {} : { percentage: { value: percentage } }) },
    };
    record(field, ['fault', kind], claim);
    return;
  }
  if (field === ROUTE_FIELDS.mirror) {
    const { host, subset, port, percentage } = claim.value as MirrorValue;
    out.mirror = {
      host,
      ...(subset === undefined ? {} : { subset }),
      ...(port === undefined ? {} : { port: { number: port } }),
    };
    if (percentage !== undefined) out.mirrorPercentage = { value: percentage };
    record(field, ['mirror'], claim);
    return;
  }
  if (field === ROUTE_FIELDS.timeout) {
    out.timeout = claim.value as string;
    record(field, ['timeout'], claim);
    return;
  }
  if (field === ROUTE_FIELDS.retries) {
    out.retries = claim.value as RetriesValue;
    record(field, ['retries'], claim);
    return;
  }
  compileHeaderField(field, claim, out, record);
}

function compileHeaderField(field: string, claim: Claim, out: IstioHttpRoute, record: Recorder): void {
  const [, direction, op, ...rest] = field.split('.') as [
    string,
    'request' | 'response',
    'set' | 'add' | 'remove',
    ...string[],
  ];
  const name = rest.join('.');
  const headers = (out.headers ??= {});
  const ops: IstioHeaderOperations = (headers[direction] ??= {});
  if (op === 'remove') {
    ops.remove = [...(ops.remove ?? []), name].sort();
    record(field, ['headers', direction, 'remove'], claim);
  } else {
    ops[op] = { ...ops[op], [name]: claim.value as string };
    record(field, ['headers', direction, op, name], claim);
  }
}

/** Our match has the same field names as Istio's HTTPMatchRequest; records are copied. */
export function toIstioMatch(match: RouteMatch): IstioHttpMatch {
  const out: IstioHttpMatch = {};
  for (const [key, value] of Object.entries(match))
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
