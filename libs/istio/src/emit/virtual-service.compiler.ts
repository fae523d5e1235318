import type { RouteMatch, StringMatch } from '@heliomesh/policy';
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
  IstioHeaders,
  IstioHttpMatch,
  IstioHttpRoute,
  IstioRouteDestination,
  VirtualService,
} from './istio-objects.types.js';
import {
  explainAt,
  explainFromService,
  generatedName,
  objectMeta,
  pathAppend,
  type ObjectRef,
} from './object-meta.util.js';

export interface EmitResult<T> {
  object: T;
  explain: ExplainEntry[];
}

interface RouteContext {
  ref: ObjectRef;
  /** Null when the caller did not ask for explain entries (they are most of the allocation). */
  explain: ExplainEntry[] | null;
  overrides: Map<string, ClaimSource>;
  sources: ClaimSource[];
}

/**
 * The one VirtualService of a host: every resolved route, in order, default route last. Objects
 * are built with their keys in sorted order and user-supplied records sorted, so the output does
 * not depend on input key order (this is the hot path of a full compile, hence no deep copy).
 */
export function compileVirtualService(
  model: HostModel,
  routes: readonly ResolvedRoute[],
  tenant: string,
  withExplain = true,
): EmitResult<VirtualService> {
  const { service } = model;
  const name = generatedName(service.name);
  const ref: ObjectRef = { kind: 'VirtualService', name, namespace: service.namespace };
  const ctx: RouteContext = {
    ref,
    explain: withExplain
      ? [explainFromService(ref, '$.spec.hosts', `host of service ${service.namespace}/${service.name}`)]
      : null,
    overrides: overriddenBy(model.collisions),
    sources: [],
  };
  const http = routes.map((route, i) => compileRoute(model, route, `$.spec.http[${i}]`, ctx));
  const object: VirtualService = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: objectMeta(name, service.namespace, tenant, service.name, ctx.sources),
    spec: { hosts: [model.host], http },
  };
  return { object, explain: ctx.explain ?? [] };
}

/** For each route field a rollout took over, the policy it overrode (for explain notes). */
function overriddenBy(collisions: readonly ClaimCollision[]): Map<string, ClaimSource> {
  const out = new Map<string, ClaimSource>();
  for (const c of collisions)
    if (c.overridden && c.object === 'route') out.set(`${c.scope}|${c.field}`, c.other);
  return out;
}

type Recorder = (field: string, path: string, claim: Claim) => void;

function recorder(route: ResolvedRoute, ctx: RouteContext): Recorder {
  return (field, path, claim) => {
    ctx.sources.push(claim.source);
    if (!ctx.explain) return;
    const inherited = route.inherited.has(field);
    let note = inherited ? 'inherited from a setting that covers every route of the service' : undefined;
    if (ctx.overrides.size > 0) {
      const scope = inherited || !route.match ? 'every route of the service' : matchLabel(route.match);
      const overridden = ctx.overrides.get(`${scope}|${field}`);
      if (overridden)
        note = `${note ? `${note}; ` : ''}overrides ${sourceLabel(overridden)} while the rollout runs`;
    }
    ctx.explain.push(explainAt(ctx.ref, path, claim.source, note));
  };
}

/** Route keys in sorted order: fault, headers, match, mirror, mirrorPercentage, name, redirect, retries, route, timeout. */
function compileRoute(model: HostModel, route: ResolvedRoute, at: string, ctx: RouteContext): IstioHttpRoute {
  const record = recorder(route, ctx);
  const f = route.fields;
  const out: IstioHttpRoute = {} as IstioHttpRoute;
  const delay = f.get(ROUTE_FIELDS.delay) as Claim<DelayValue> | undefined;
  const abort = f.get(ROUTE_FIELDS.abort) as Claim<AbortValue> | undefined;
  if (delay || abort) {
    out.fault = {};
    if (abort) {
      out.fault.abort = { httpStatus: abort.value.httpStatus, ...percentage(abort.value.percentage) };
      record(ROUTE_FIELDS.abort, `${at}.fault.abort`, abort);
    }
    if (delay) {
      out.fault.delay = { fixedDelay: delay.value.fixedDelay, ...percentage(delay.value.percentage) };
      record(ROUTE_FIELDS.delay, `${at}.fault.delay`, delay);
    }
  }
  const headers = compileHeaders(f, at, record);
  if (headers) out.headers = headers;
  if (route.match) {
    out.match = [toIstioMatch(route.match)];
    for (const creator of route.creators)
      record('match', `${at}.match[0]`, { value: undefined, source: creator });
  }
  const mirror = f.get(ROUTE_FIELDS.mirror) as Claim<MirrorValue> | undefined;
  if (mirror) {
    const { host, subset, port } = mirror.value;
    out.mirror = {
      host,
      ...(port === undefined ? {} : { port: { number: port } }),
      ...(subset === undefined ? {} : { subset }),
    };
    if (mirror.value.percentage !== undefined) out.mirrorPercentage = { value: mirror.value.percentage };
    record(ROUTE_FIELDS.mirror, `${at}.mirror`, mirror);
  }
  out.name = route.name;
  const action = compileAction(model, route, at, ctx, record);
  if (action.redirect) out.redirect = action.redirect;
  const retries = f.get(ROUTE_FIELDS.retries) as Claim<RetriesValue> | undefined;
  if (retries) {
    const { attempts, perTryTimeout, retryOn, retryRemoteLocalities } = retries.value;
    out.retries = { attempts };
    if (perTryTimeout !== undefined) out.retries.perTryTimeout = perTryTimeout;
    if (retryOn !== undefined) out.retries.retryOn = retryOn;
    if (retryRemoteLocalities !== undefined) out.retries.retryRemoteLocalities = retryRemoteLocalities;
    record(ROUTE_FIELDS.retries, `${at}.retries`, retries);
  }
  if (action.route) out.route = action.route;
  const timeout = f.get(ROUTE_FIELDS.timeout) as Claim<string> | undefined;
  if (timeout) {
    out.timeout = timeout.value;
    record(ROUTE_FIELDS.timeout, `${at}.timeout`, timeout);
  }
  return out;
}

const percentage = (value: number | undefined) => (value === undefined ? {} : { percentage: { value } });

/** The route's action: a redirect, or weighted destinations (all pods when nothing routes it). */
function compileAction(
  model: HostModel,
  route: ResolvedRoute,
  at: string,
  ctx: RouteContext,
  record: Recorder,
): Pick<IstioHttpRoute, 'redirect' | 'route'> {
  const claim = route.fields.get(ROUTE_FIELDS.route) as Claim<RouteAction> | undefined;
  if (!claim) {
    ctx.explain?.push(
      explainFromService(ctx.ref, `${at}.route`, 'no policy routes this match: all pods of the service'),
    );
    return { route: [{ destination: { host: model.host }, weight: 100 }] };
  }
  if (claim.value.type === 'redirect') {
    const { uri, authority, code } = claim.value.redirect;
    const redirect: NonNullable<IstioHttpRoute['redirect']> = {};
    if (authority !== undefined) redirect.authority = authority;
    if (code !== undefined) redirect.redirectCode = code;
    if (uri !== undefined) redirect.uri = uri;
    record(ROUTE_FIELDS.route, `${at}.redirect`, claim);
    return { redirect };
  }
  record(ROUTE_FIELDS.route, `${at}.route`, claim);
  const cookie = route.stickyVersion === undefined ? stickyCookie(claim.value) : undefined;
  const weights = distributeWeights(claim.value.destinations.map((d) => d.weight));
  return {
    route: claim.value.destinations.map((d, i): IstioRouteDestination => {
      const destination = d.subset === undefined ? { host: d.host } : { host: d.host, subset: d.subset };
      if (cookie && d.subset !== undefined && weights[i]! > 0)
        return {
          destination,
          headers: {
            response: {
              add: { 'set-cookie': `${cookie.name}=${d.subset}; Max-Age=${cookie.maxAgeSeconds}; Path=/` },
            },
          },
          weight: weights[i]!,
        };
      return { destination, weight: weights[i]! };
    }),
  };
}

/** `headers.<request|response>.<add|remove|set>` from the header claims, names sorted. */
function compileHeaders(fields: Map<string, Claim>, at: string, record: Recorder): IstioHeaders | undefined {
  const claims: Array<[string, Claim]> = [];
  for (const entry of fields) if (entry[0].startsWith('headers.')) claims.push(entry);
  if (claims.length === 0) return undefined;
  claims.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const headers: IstioHeaders = {};
  for (const [field, claim] of claims) {
    const [, direction, op, ...rest] = field.split('.') as [
      string,
      'request' | 'response',
      'set' | 'add' | 'remove',
      ...string[],
    ];
    const name = rest.join('.');
    const ops: IstioHeaderOperations = (headers[direction] ??= {});
    if (op === 'remove') {
      (ops.remove ??= []).push(name);
      record(field, `${at}.headers.${direction}.remove`, claim);
    } else {
      (ops[op] ??= {})[name] = claim.value as string;
      record(field, pathAppend(`${at}.headers.${direction}.${op}`, name), claim);
    }
  }
  return headers;
}

const sortedRecord = <T>(record: Record<string, T>): Record<string, T> => {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
};

/** A StringMatch with its one key (zod leaves the two unused keys out, so copy the one set). */
const stringMatch = (m: StringMatch): StringMatch =>
  m.exact !== undefined
    ? { exact: m.exact }
    : m.prefix !== undefined
      ? { prefix: m.prefix }
      : { regex: m.regex! };

const matchRecord = (r: Record<string, StringMatch>): Record<string, StringMatch> => {
  const out: Record<string, StringMatch> = {};
  for (const key of Object.keys(r).sort()) out[key] = stringMatch(r[key]!);
  return out;
};

/** Our match has the same field names as Istio's HTTPMatchRequest; built here in sorted key order. */
export function toIstioMatch(m: RouteMatch): IstioHttpMatch {
  const out: IstioHttpMatch = {};
  if (m.authority) out.authority = stringMatch(m.authority);
  if (m.headers) out.headers = matchRecord(m.headers);
  if (m.ignoreUriCase !== undefined) out.ignoreUriCase = m.ignoreUriCase;
  if (m.method) out.method = stringMatch(m.method);
  if (m.port !== undefined) out.port = m.port;
  if (m.queryParams) out.queryParams = matchRecord(m.queryParams);
  if (m.scheme) out.scheme = stringMatch(m.scheme);
  if (m.sourceLabels) out.sourceLabels = sortedRecord(m.sourceLabels);
  if (m.sourceNamespace !== undefined) out.sourceNamespace = m.sourceNamespace;
  if (m.uri) out.uri = stringMatch(m.uri);
  if (m.withoutHeaders) out.withoutHeaders = matchRecord(m.withoutHeaders);
  return out;
}
