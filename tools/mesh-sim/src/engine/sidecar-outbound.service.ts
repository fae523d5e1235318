import { assertUnreachable } from '@heliomesh/util';
import { Reporter, SecurityPolicy, type ServiceIdentity } from '../telemetry/istio-metrics.service.js';
import type { EngineContext } from './engine-context.js';
import type {
  AppProtocol,
  CallOutcome,
  PodInfo,
  ServiceInfo,
  ServicePort,
  SimRequest,
} from './engine.types.js';
import { localReply } from './local-reply.util.js';
import type { ClusterInfo, ViewRoute } from './mesh-index.js';
import { forwardedRequest } from './request-mutation.util.js';
import { Flag } from './response-flags.util.js';
import { matchesRequest } from './route-match.compiler.js';
import type { CompiledMatch, CompiledRoute, WeightedDestination } from './route.types.js';
import { hopSecurity, mirrorRequest, routeRequest, type RouterResult } from './router.service.js';
import { inbound } from './sidecar-inbound.service.js';

const UNKNOWN = 'unknown';

/**
 * The client sidecar (istio-semantics §0.1): virtual host by authority, first matching route,
 * CORS, fault (delay, then abort), mirror, then the router. Records the reporter="source" sample.
 */
export function outbound(
  ctx: EngineContext,
  client: PodInfo,
  req: SimRequest,
  port: number,
  now: number,
): CallOutcome {
  const service = ctx.index.resolveAuthority(req.authority, client.namespace);
  const servicePort = service?.ports.find((p) => p.port === port);
  if (!service || !servicePort) {
    ctx.counters.unresolved++;
    return { code: 0, grpcStatus: -1, flags: 0, durationMs: 0, responseBytes: 0, rateLimited: false };
  }
  if (!client.sidecar) return direct(ctx, client, service, servicePort, req, now);
  const vhost = ctx.index.virtualHost(client, service, servicePort);
  const q = req.path.indexOf('?');
  const path = q === -1 ? req.path : req.path.slice(0, q);
  const query = q === -1 ? '' : req.path.slice(q + 1);
  let hit: ViewRoute | undefined;
  let matched: CompiledMatch | undefined;
  for (const vr of vhost.routes) {
    if (vr.matches.length === 0) {
      hit = vr;
      break;
    }
    matched = vr.matches.find((m) => matchesRequest(m, req, path, query));
    if (matched) {
      hit = vr;
      break;
    }
  }
  const protocol = servicePort.protocol;
  // §1.2: a bound VirtualService with no matching rule gives 404 NR; nothing falls through.
  if (!hit)
    return sourceLocal(ctx, client, serviceLabels(ctx, service), localReply(404, Flag.NR, protocol, 0), req);
  const route = hit.route;
  const cors = corsPreflight(route, req);
  if (cors)
    return sourceLocal(ctx, client, serviceLabels(ctx, service), localReply(200, 0, protocol, 0, 0), req);
  const action = route.action;
  switch (action.kind) {
    case 'redirect':
      return sourceLocal(
        ctx,
        client,
        serviceLabels(ctx, service),
        localReply(action.code, 0, protocol, 0, 0),
        req,
      );
    case 'direct':
      return sourceLocal(
        ctx,
        client,
        serviceLabels(ctx, service),
        localReply(action.status, 0, protocol, 0, action.bodyBytes),
        req,
      );
    case 'delegate':
      return sourceLocal(
        ctx,
        client,
        serviceLabels(ctx, service),
        localReply(404, Flag.NR, protocol, 0),
        req,
      );
    case 'route':
      return forward(
        ctx,
        client,
        route,
        pickDestination(ctx, action.destinations, action.totalWeight),
        matched,
        req,
        port,
        protocol,
        now,
      );
    default:
      return assertUnreachable(action, 'route action');
  }
}

function pickDestination(
  ctx: EngineContext,
  destinations: WeightedDestination[],
  total: number,
): WeightedDestination {
  if (destinations.length === 1) return destinations[0]!;
  // §1.3: each destination gets w/Σw.
  let r = ctx.rng.next() * total;
  for (const d of destinations) {
    r -= d.weight;
    if (r < 0) return d;
  }
  return destinations[destinations.length - 1]!;
}

function forward(
  ctx: EngineContext,
  client: PodInfo,
  route: CompiledRoute,
  dest: WeightedDestination,
  matched: CompiledMatch | undefined,
  req: SimRequest,
  port: number,
  protocol: AppProtocol,
  now: number,
): CallOutcome {
  const cluster = ctx.index.cluster(client, dest, port);
  const proto = cluster?.protocol ?? protocol;
  // §1.6: the fault filter runs after route selection and before the router: delay first, then
  // an independent abort draw; an abort has no upstream call, retry or mirror.
  let flags = 0;
  let delay = 0;
  const fault = route.fault;
  if (fault) {
    if (ctx.rng.chance(fault.delayProbability)) {
      delay = fault.delayMs;
      flags |= Flag.DI;
    }
    if (ctx.rng.chance(fault.abortProbability)) {
      const svc = ctx.metrics.service(dest.host, dest.host.split('.')[0]!, UNKNOWN);
      return sourceLocal(
        ctx,
        client,
        svc,
        localReply(fault.abortCode, flags | Flag.FI, proto, delay, 18, fault.abortGrpcStatus),
        req,
      );
    }
  }
  if (!cluster) {
    // §1.3: an undefined subset or a host not in the registry is 503 NC.
    const svc = ctx.metrics.service(dest.host, dest.host.split('.')[0]!, UNKNOWN);
    return sourceLocal(ctx, client, svc, localReply(503, flags | Flag.NC, proto, delay, 0), req);
  }
  const start = now + delay;
  const fwd = forwardedRequest(req, route, dest, matched);
  for (const mirror of route.mirrors) {
    if (!ctx.rng.chance(mirror.probability)) continue;
    const target = ctx.index.cluster(client, mirror.destination, port);
    if (target) mirrorRequest(ctx, client, target, fwd, start);
  }
  const res = routeRequest(ctx, client, cluster, route.retry, route.timeoutMs, fwd, start);
  return recordSource(ctx, client, cluster, res, flags, delay, req);
}

function serviceLabels(ctx: EngineContext, service: ServiceInfo): ServiceIdentity {
  return ctx.metrics.service(service.fqdn, service.name, UNKNOWN);
}

/**
 * A reply the client sidecar produced without choosing a host (§1.6, §5.2): destination workload,
 * app, version and namespaces are unknown; destination_service is still set.
 */
function sourceLocal(
  ctx: EngineContext,
  client: PodInfo,
  svc: ServiceIdentity,
  reply: CallOutcome,
  req: SimRequest,
): CallOutcome {
  const m = ctx.metrics;
  m.record(
    Reporter.Source,
    m.peer(client, false),
    m.unknownPeer,
    svc,
    reply.code,
    reply.grpcStatus,
    reply.flags,
    SecurityPolicy.Unknown,
    reply.durationMs,
    req.bytes,
    reply.responseBytes,
  );
  return reply;
}

/** §5.2: source samples always carry connection_security_policy="unknown"; RL shows only on the destination side. */
function recordSource(
  ctx: EngineContext,
  client: PodInfo,
  cluster: ClusterInfo,
  res: RouterResult,
  faultFlags: number,
  delay: number,
  req: SimRequest,
): CallOutcome {
  const m = ctx.metrics;
  const mtls = res.mtls;
  const dst = res.host ? m.peer(res.host, mtls) : m.unknownPeer;
  const svc = m.service(
    cluster.service.fqdn,
    cluster.service.name,
    res.host ? cluster.service.namespace : UNKNOWN,
  );
  const flags = res.flags | faultFlags;
  const durationMs = res.durationMs + delay;
  m.record(
    Reporter.Source,
    m.peer(client, mtls),
    dst,
    svc,
    res.code,
    res.grpcStatus,
    flags,
    SecurityPolicy.Unknown,
    durationMs,
    req.bytes,
    res.responseBytes,
  );
  return {
    code: res.code,
    grpcStatus: res.grpcStatus,
    flags,
    durationMs,
    responseBytes: res.responseBytes,
    rateLimited: res.rateLimited,
  };
}

/** §1.8: a preflight (OPTIONS with Origin and Access-Control-Request-Method) answered by the proxy. */
function corsPreflight(route: CompiledRoute, req: SimRequest): boolean {
  const cors = route.cors;
  if (!cors || req.method !== 'OPTIONS') return false;
  const origin = req.headers['origin'];
  if (origin === undefined || req.headers['access-control-request-method'] === undefined) return false;
  if (cors.originMatchers.some((m) => m(origin))) return true;
  return cors.ignoreUnmatched;
}

/**
 * A client without a sidecar: kube-proxy picks any endpoint, no VirtualService applies and only
 * the server reports. Plaintext towards a STRICT server is refused before any HTTP exchange.
 */
function direct(
  ctx: EngineContext,
  client: PodInfo,
  service: ServiceInfo,
  port: ServicePort,
  req: SimRequest,
  now: number,
): CallOutcome {
  const endpoints = service.endpoints;
  if (endpoints.length === 0)
    return { code: 0, grpcStatus: -1, flags: 0, durationMs: 0, responseBytes: 0, rateLimited: false };
  const host = endpoints[ctx.rng.int(endpoints.length)]!;
  if (hopSecurity(ctx, client, host, port.targetPort, undefined) === undefined) {
    ctx.counters.refusedConnections++;
    return {
      code: 0,
      grpcStatus: -1,
      flags: 0,
      durationMs: ctx.hopLatencyMs,
      responseBytes: 0,
      rateLimited: false,
    };
  }
  const server = inbound(
    ctx,
    {
      server: host,
      port: port.port,
      targetPort: port.targetPort,
      protocol: port.protocol,
      client,
      mtls: false,
    },
    req,
    now,
  );
  const m = ctx.metrics;
  m.record(
    Reporter.Destination,
    m.unknownPeer,
    m.peer(host, false),
    m.service(service.fqdn, service.name, service.namespace),
    server.code,
    server.grpcStatus,
    server.flags,
    SecurityPolicy.None,
    server.durationMs,
    req.bytes,
    server.responseBytes,
  );
  return {
    code: server.code,
    grpcStatus: server.grpcStatus,
    flags: 0,
    durationMs: server.durationMs + ctx.hopLatencyMs,
    responseBytes: server.responseBytes,
    rateLimited: server.rateLimited,
  };
}
