import { RE2 } from 're2-wasm';
import type { Destination, HttpRoute, VirtualServiceSpec } from '../config/networking.schema.js';
import { parseDurationMs } from '../util/duration.util.js';
import { resolveShortName } from './host.util.js';
import { compileMatch } from './route-match.compiler.js';
import { retryPolicyOf } from './retry-policy.util.js';
import type {
  CompiledCors,
  CompiledFault,
  CompiledRewrite,
  CompiledRoute,
  CompiledVirtualService,
  DestinationRef,
  RouteAction,
} from './route.types.js';
import { compileStringMatch } from './string-match.util.js';

export const GRPC_STATUS_CODES: Readonly<Record<string, number>> = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};

export interface VirtualServiceMeta {
  uid: string;
  name: string;
  namespace: string;
  createdMs: number;
}

/** Compiles a validated VirtualService once per config change, so requests only run predicates. */
export function compileVirtualService(
  spec: VirtualServiceSpec,
  meta: VirtualServiceMeta,
): CompiledVirtualService {
  const routes: CompiledRoute[] = [];
  for (const [index, http] of (spec.http ?? []).entries()) {
    const route = compileRoute(http, index, meta.namespace);
    routes.push(route);
    // istio-semantics §1.2: a rule without match is a catch-all; istiod drops every later rule.
    if (route.matches.length === 0) break;
  }
  return {
    ...meta,
    hosts: spec.hosts.map((h) => resolveShortName(h, meta.namespace)),
    exportTo: spec.exportTo ?? ['*'],
    routes,
  };
}

function compileRoute(http: HttpRoute, index: number, namespace: string): CompiledRoute {
  return {
    index,
    name: http.name ?? `http[${index}]`,
    matches: (http.match ?? []).map(compileMatch),
    action: compileAction(http, namespace),
    fault: compileFault(http),
    mirrors: compileMirrors(http, namespace),
    timeoutMs: http.timeout ? parseDurationMs(http.timeout) || undefined : undefined,
    retry: retryPolicyOf(http),
    requestHeaders: http.headers?.request,
    rewrite: compileRewrite(http),
    cors: compileCors(http),
  };
}

function destinationRef(d: Destination, namespace: string): DestinationRef {
  return { host: resolveShortName(d.host, namespace), subset: d.subset, port: d.port?.number || undefined };
}

function compileAction(http: HttpRoute, namespace: string): RouteAction {
  if (http.redirect) return { kind: 'redirect', code: http.redirect.redirectCode ?? 301 };
  if (http.directResponse) {
    const body = http.directResponse.body;
    const bodyBytes = body?.string?.length ?? (body?.bytes ? Math.floor((body.bytes.length * 3) / 4) : 0);
    return { kind: 'direct', status: http.directResponse.status, bodyBytes };
  }
  if (http.delegate) return { kind: 'delegate' };
  const entries = http.route ?? [];
  // §1.3: a single entry gets 100% whatever its weight; otherwise weight 0 or missing is dropped
  // and the rest split w/Σw (weights need not add up to 100).
  const kept = entries.length === 1 ? entries : entries.filter((e) => (e.weight ?? 0) > 0);
  const destinations = kept.map((e) => ({
    ...destinationRef(e.destination, namespace),
    weight: entries.length === 1 ? 1 : (e.weight ?? 0),
    headers: e.headers?.request,
  }));
  return { kind: 'route', destinations, totalWeight: destinations.reduce((sum, d) => sum + d.weight, 0) };
}

/** §1.6: percentages are sent as value*10000 / 1,000,000; omitted means never inject. */
function fraction(value: number | undefined): number {
  return value === undefined ? 0 : Math.round(value * 10_000) / 1_000_000;
}

function compileFault(http: HttpRoute): CompiledFault | undefined {
  const f = http.fault;
  if (!f) return undefined;
  const delay = f.delay;
  // §1.6: for delay the deprecated integer `percent` applies when it is set.
  const delayProbability = delay
    ? delay.percent !== undefined
      ? delay.percent / 100
      : fraction(delay.percentage?.value)
    : 0;
  const grpc = f.abort?.grpcStatus;
  return {
    delayMs: delay?.fixedDelay ? (parseDurationMs(delay.fixedDelay) ?? 0) : 0,
    delayProbability,
    abortProbability: f.abort ? fraction(f.abort.percentage?.value) : 0,
    // §1.6: grpcStatus yields HTTP 200 plus a grpc-status header.
    abortCode: grpc !== undefined ? 200 : (f.abort?.httpStatus ?? 0),
    abortGrpcStatus: grpc !== undefined ? (GRPC_STATUS_CODES[grpc] ?? 2) : -1,
  };
}

/** §1.7: a missing percentage means 100%, an explicit 0 means none; `mirrorPercent` is still read. */
function compileMirrors(http: HttpRoute, namespace: string): CompiledRoute['mirrors'] {
  if (http.mirrors) {
    return http.mirrors.map((m) => ({
      destination: destinationRef(m.destination, namespace),
      probability: m.percentage ? fraction(m.percentage.value) : 1,
    }));
  }
  if (!http.mirror) return [];
  const probability = http.mirrorPercentage
    ? fraction(http.mirrorPercentage.value)
    : http.mirrorPercent !== undefined
      ? http.mirrorPercent / 100
      : 1;
  return [{ destination: destinationRef(http.mirror, namespace), probability }];
}

function compileRewrite(http: HttpRoute): CompiledRewrite | undefined {
  const r = http.rewrite;
  if (!r) return undefined;
  const regex = r.uriRegexRewrite
    ? {
        // Envoy's regex_rewrite replaces every match in the path, not a full match.
        re: new RE2(r.uriRegexRewrite.match, 'gu'),
        // Envoy writes back-references as \1; the RE2 wrapper's replace uses $1.
        replacement: r.uriRegexRewrite.rewrite.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1'),
      }
    : undefined;
  return { uri: r.uri, regex, authority: r.authority };
}

function compileCors(http: HttpRoute): CompiledCors | undefined {
  const c = http.corsPolicy;
  if (!c) return undefined;
  const originMatchers = [
    ...(c.allowOrigins ?? []).map((m) => compileStringMatch(m)),
    ...(c.allowOrigin ?? []).map((o) => (o === '*' ? () => true : (v: string) => v === o)),
  ];
  return { originMatchers, ignoreUnmatched: c.unmatchedPreflights === 'IGNORE' };
}
