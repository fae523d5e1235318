import { assertUnreachable } from '@heliomesh/util';
import { Reporter, SecurityPolicy } from '../telemetry/istio-metrics.service.js';
import type { ClusterRuntime } from './cluster-runtime.js';
import type { EngineContext } from './engine-context.js';
import type { CallOutcome, PodInfo, SimRequest } from './engine.types.js';
import { cookieValue, fnv1a } from './load-balancer.util.js';
import { localReply } from './local-reply.util.js';
import type { ClusterInfo } from './mesh-index.js';
import { queryParam } from './route-match.compiler.js';
import { Flag } from './response-flags.util.js';
import { backoffMs, isRetriableReset, isRetriableResponse, type RetryPolicy } from './retry-policy.util.js';
import { inbound, type InboundCall, type ServerOutcome } from './sidecar-inbound.service.js';
import type { TlsMode } from './traffic-policy.types.js';

/** The router's answer: the outcome plus which host answered and whether that hop had mTLS. */
export interface RouterResult {
  code: number;
  grpcStatus: number;
  flags: number;
  durationMs: number;
  responseBytes: number;
  rateLimited: boolean;
  host: PodInfo | undefined;
  mtls: boolean;
}

interface Attempt extends RouterResult {
  /** A local reply (UO, UH): never retried (istio-semantics §1.5). */
  local: boolean;
  /** No response at all: a reset or a timeout. */
  noResponse: boolean;
  /** The connection failed before the request was sent (reset-before-request applies). */
  beforeRequest: boolean;
  /** The cut came from the route's global timeout. */
  globalTimeout: boolean;
}

/** §2.4: no candidate host (none, or all ejected) is 503 "no healthy upstream" with UH. */
function uh(protocol: ClusterInfo['protocol']): Attempt {
  return attempt(localReply(503, Flag.UH, protocol, 0, 19), undefined, false, 'local');
}

/**
 * istio-semantics §1.5: attempts with retries and backoff under the route timeout, which covers
 * all attempts plus backoff and, when it expires, gives 504 UT with no further retries.
 */
export function routeRequest(
  ctx: EngineContext,
  client: PodInfo,
  cluster: ClusterInfo,
  retry: RetryPolicy,
  timeoutMs: number | undefined,
  req: SimRequest,
  start: number,
): RouterResult {
  const rt = ctx.runtime.cluster(client, cluster);
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : start + timeoutMs;
  const tried: PodInfo[] = [];
  let now = start;
  for (let attempt = 0; ; attempt++) {
    rt.advance(now, cluster.policy.outlier);
    const res = attemptOnce(ctx, client, rt, cluster, retry, req, now, deadline, tried);
    if (res.globalTimeout) return timedOut(res, timeoutMs!, cluster);
    now += res.durationMs;
    if (res.local) return finish(res, start, now);
    const retriable = res.noResponse
      ? isRetriableReset(retry, res.beforeRequest)
      : isRetriableResponse(retry, res.code, res.grpcStatus, res.rateLimited);
    if (!retriable) return finish(res, start, now);
    if (attempt >= retry.attempts) return finish(res, start, now, Flag.URX);
    const wait = backoffMs(retry, attempt + 1, ctx.rng.next());
    if (now + wait >= deadline) return timedOut(res, timeoutMs!, cluster);
    // §2.3: retries beyond maxRetries in flight are skipped and the response in hand is returned.
    if (!rt.admitRetry(now, cluster.policy.pool, now + wait + 1)) return finish(res, start, now);
    now += wait;
  }
}

function finish(res: Attempt, start: number, end: number, extraFlags = 0): RouterResult {
  return result(res, res.flags | extraFlags, end - start, res.host, res.mtls);
}

function result(
  r: CallOutcome,
  flags: number,
  durationMs: number,
  host: PodInfo | undefined,
  mtls: boolean,
): RouterResult {
  return {
    code: r.code,
    grpcStatus: r.grpcStatus,
    flags,
    durationMs,
    responseBytes: r.responseBytes,
    rateLimited: r.rateLimited,
    host,
    mtls,
  };
}

function timedOut(res: Attempt, timeoutMs: number, cluster: ClusterInfo): RouterResult {
  const reply = localReply(504, Flag.UT, cluster.protocol, timeoutMs, 24);
  return result(reply, reply.flags, timeoutMs, res.host, res.mtls);
}

function pickHost(
  ctx: EngineContext,
  client: PodInfo,
  rt: ClusterRuntime,
  cluster: ClusterInfo,
  req: SimRequest,
  tried: PodInfo[],
): number {
  const candidates = rt.candidates(cluster.policy.outlier);
  if (candidates.length === 0) return -1;
  const policy = cluster.policy;
  if (policy.lb === 'HASH') {
    const key = hashKeyOf(policy.hashKey, client, req);
    if (key !== undefined) return rt.pickHash(candidates, fnv1a(key), policy.ringSize);
    return candidates[ctx.rng.int(candidates.length)]!;
  }
  // §1.5: retry host predicate previous_hosts with host_selection_retry_max_attempts 5.
  let idx = -1;
  for (let i = 0; i < 5; i++) {
    idx =
      policy.lb === 'ROUND_ROBIN'
        ? rt.pickRoundRobin(candidates)
        : policy.lb === 'RANDOM'
          ? candidates[ctx.rng.int(candidates.length)]!
          : rt.pickLeastRequest(candidates, ctx.rng);
    if (tried.length === 0 || !tried.includes(rt.hosts[idx]!)) break;
  }
  return idx;
}

function hashKeyOf(
  key: ClusterInfo['policy']['hashKey'],
  client: PodInfo,
  req: SimRequest,
): string | undefined {
  if (!key) return undefined;
  switch (key.kind) {
    case 'header':
      return req.headers[key.name];
    case 'cookie':
      return cookieValue(req.headers['cookie'], key.name);
    case 'sourceIp':
      return client.ip;
    case 'query': {
      const q = req.path.indexOf('?');
      return q === -1 ? undefined : queryParam(req.path.slice(q + 1), key.name);
    }
    default:
      return assertUnreachable(key, 'hash key');
  }
}

/**
 * Whether the hop uses Istio mTLS, or undefined when the handshake cannot work (§2.4 tls.mode:
 * auto mTLS is ISTIO_MUTUAL when the endpoint has a sidecar and its PeerAuthentication is not
 * DISABLE; plaintext towards STRICT, or mTLS towards DISABLE, is refused).
 */
export function hopSecurity(
  ctx: EngineContext,
  client: PodInfo,
  host: PodInfo,
  targetPort: number,
  tlsMode: TlsMode | undefined,
): boolean | undefined {
  const server = host.sidecar ? ctx.index.mtlsMode(host, targetPort) : 'DISABLE';
  const mode = !client.sidecar ? 'DISABLE' : (tlsMode ?? (server === 'DISABLE' ? 'DISABLE' : 'ISTIO_MUTUAL'));
  if (mode === 'DISABLE') return server === 'STRICT' ? undefined : false;
  if (mode === 'ISTIO_MUTUAL') return server === 'DISABLE' ? undefined : true;
  // SIMPLE/MUTUAL originate non-Istio TLS, which a sidecar's inbound listener does not terminate.
  return undefined;
}

function attemptOnce(
  ctx: EngineContext,
  client: PodInfo,
  rt: ClusterRuntime,
  cluster: ClusterInfo,
  retry: RetryPolicy,
  req: SimRequest,
  start: number,
  deadline: number,
  tried: PodInfo[],
): Attempt {
  const idx = pickHost(ctx, client, rt, cluster, req, tried);
  if (idx < 0) return uh(cluster.protocol);
  const host = rt.hosts[idx]!;
  tried.push(host);
  const http1 = cluster.protocol === 'http' && !cluster.policy.upgradeH2;
  const begin = rt.admit(start, cluster.policy.pool, http1);
  // §2.3: overflow is an immediate 503 UO with x-envoy-overloaded; the host was chosen.
  if (begin < 0) return attempt(localReply(503, Flag.UO, cluster.protocol, 0, 81), host, false, 'local');
  const mtls = hopSecurity(ctx, client, host, cluster.targetPort, cluster.policy.tlsMode);
  const hop: Hop = { client, rt, idx, host, cluster, http1, mtls: mtls === true };
  if (mtls === undefined) return refused(ctx, hop, start, begin);
  const perTry = retry.perTryTimeoutMs ?? Number.POSITIVE_INFINITY;
  return exchange(ctx, hop, req, start, begin, perTry, Math.min(perTry, deadline - start));
}

/** One attempt's connection: who talks to which host of which cluster. */
interface Hop {
  client: PodInfo;
  rt: ClusterRuntime;
  idx: number;
  host: PodInfo;
  cluster: ClusterInfo;
  http1: boolean;
  mtls: boolean;
}

type AttemptKind = 'response' | 'local' | 'refused' | 'timeout' | 'global-timeout';

/** Objects are built field by field in one order: spreads of differently shaped sources go megamorphic. */
function attempt(r: CallOutcome, host: PodInfo | undefined, mtls: boolean, kind: AttemptKind): Attempt {
  return {
    code: r.code,
    grpcStatus: r.grpcStatus,
    flags: r.flags,
    durationMs: r.durationMs,
    responseBytes: r.responseBytes,
    rateLimited: r.rateLimited,
    host,
    mtls,
    local: kind === 'local',
    noResponse: kind === 'refused' || kind === 'timeout' || kind === 'global-timeout',
    beforeRequest: kind === 'refused',
    globalTimeout: kind === 'global-timeout',
  };
}

/** Connection terminated during the handshake: 503 UC, a local-origin failure for outlier detection. */
function refused(ctx: EngineContext, hop: Hop, start: number, begin: number): Attempt {
  const end = begin + ctx.hopLatencyMs;
  hop.rt.release(hop.idx, end, hop.cluster.policy.pool, hop.http1);
  hop.rt.recordOutcome(hop.idx, end, 503, 'local-connect', hop.cluster.policy.outlier);
  ctx.counters.refusedConnections++;
  return attempt(localReply(503, Flag.UC, hop.cluster.protocol, end - start, 95), hop.host, false, 'refused');
}

/** The request reaches the server; the client waits at most `limit` ms from `start`. */
function exchange(
  ctx: EngineContext,
  hop: Hop,
  req: SimRequest,
  start: number,
  begin: number,
  perTry: number,
  limit: number,
): Attempt {
  const { cluster, rt, idx } = hop;
  const latency = ctx.hopLatencyMs;
  const call: InboundCall = {
    server: hop.host,
    port: cluster.port,
    targetPort: cluster.targetPort,
    protocol: cluster.protocol,
    client: hop.client,
    mtls: hop.mtls,
  };
  const server = inbound(ctx, call, req, begin + latency / 2);
  const full = begin - start + latency + server.durationMs;
  if (full > limit) {
    // The client resets the stream: the server sidecar logs a downstream disconnect (code 0, DC).
    const served = Math.max(0, limit - (begin - start) - latency / 2);
    const grpc = cluster.protocol === 'grpc' ? 0 : -1;
    recordDestination(ctx, hop, req, {
      code: 0,
      grpcStatus: grpc,
      flags: Flag.DC,
      durationMs: served,
      responseBytes: 0,
      rateLimited: false,
    });
    rt.release(idx, start + limit, cluster.policy.pool, hop.http1);
    rt.recordOutcome(idx, start + limit, 504, 'local-timeout', cluster.policy.outlier);
    const kind = limit < perTry ? 'global-timeout' : 'timeout';
    return attempt(localReply(504, Flag.UT, cluster.protocol, limit, 24), hop.host, hop.mtls, kind);
  }
  // §1.5 telemetry: one reporter="destination" sample per attempt.
  recordDestination(ctx, hop, req, server);
  rt.release(idx, start + full, cluster.policy.pool, hop.http1);
  rt.recordOutcome(idx, start + full, server.code, 'response', cluster.policy.outlier);
  const a = attempt(server, hop.host, hop.mtls, 'response');
  a.flags = 0;
  a.durationMs = full;
  return a;
}

function recordDestination(
  ctx: EngineContext,
  hop: Pick<Hop, 'client' | 'host' | 'cluster' | 'mtls'>,
  req: SimRequest,
  server: ServerOutcome,
): void {
  const m = ctx.metrics;
  const svc = hop.cluster.service;
  m.record(
    Reporter.Destination,
    m.peer(hop.client, hop.mtls),
    m.peer(hop.host, hop.mtls),
    m.service(svc.fqdn, svc.name, svc.namespace),
    server.code,
    server.grpcStatus,
    server.flags,
    hop.mtls ? SecurityPolicy.MutualTls : SecurityPolicy.None,
    server.durationMs,
    req.bytes,
    server.responseBytes,
  );
}

/** Sends a mirrored copy (§1.7): fire-and-forget, the response is discarded, no source sample. */
export function mirrorRequest(
  ctx: EngineContext,
  client: PodInfo,
  cluster: ClusterInfo,
  req: SimRequest,
  now: number,
): void {
  const rt = ctx.runtime.cluster(client, cluster);
  rt.advance(now, cluster.policy.outlier);
  const idx = pickHost(ctx, client, rt, cluster, req, []);
  if (idx < 0) return;
  const limits = cluster.policy.pool;
  const http1 = cluster.protocol === 'http' && !cluster.policy.upgradeH2;
  const begin = rt.admit(now, limits, http1);
  if (begin < 0) return;
  const host = rt.hosts[idx]!;
  const mtls = hopSecurity(ctx, client, host, cluster.targetPort, cluster.policy.tlsMode);
  if (mtls === undefined) {
    rt.release(idx, begin, limits, http1);
    return;
  }
  ctx.counters.mirrored++;
  const call: InboundCall = {
    server: host,
    port: cluster.port,
    targetPort: cluster.targetPort,
    protocol: cluster.protocol,
    client,
    mtls,
  };
  const server = inbound(ctx, call, req, begin + ctx.hopLatencyMs / 2);
  recordDestination(ctx, { client, host, cluster, mtls }, req, server);
  const end = begin + ctx.hopLatencyMs + server.durationMs;
  rt.release(idx, end, limits, http1);
  rt.recordOutcome(idx, end, server.code, 'response', cluster.policy.outlier);
}
