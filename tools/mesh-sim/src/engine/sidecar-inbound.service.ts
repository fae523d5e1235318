import { runApp } from './app.service.js';
import type { AuthzContext } from './authz.compiler.js';
import { decideAuthz } from './authz.util.js';
import type { EngineContext } from './engine-context.js';
import type { AppProtocol, PodInfo, SimRequest } from './engine.types.js';
import { httpToGrpcStatus } from './local-reply.util.js';
import type { CompiledRateLimit } from './rate-limit.compiler.js';
import { Flag } from './response-flags.util.js';

/** What the server sidecar answered, before the client decides whether it still waits for it. */
export interface ServerOutcome {
  code: number;
  grpcStatus: number;
  /** Flags on the destination sample (RL, UAEX). */
  flags: number;
  durationMs: number;
  responseBytes: number;
  rateLimited: boolean;
}

export interface InboundCall {
  server: PodInfo;
  /** The service port the client dialled and the pod port it lands on. */
  port: number;
  targetPort: number;
  protocol: AppProtocol;
  client: PodInfo;
  mtls: boolean;
}

/**
 * The server sidecar (istio-semantics §0.2): local rate limit at the head of the chain, then
 * ext_authz (CUSTOM), then RBAC (DENY, then ALLOW), then the app. mTLS was settled at connect time.
 */
export function inbound(ctx: EngineContext, call: InboundCall, req: SimRequest, now: number): ServerOutcome {
  const view = ctx.index.serverView(call.server);
  if (view.filterLimits.length > 0 || view.routeLimits.length > 0) {
    const limited = rateLimit(ctx, call, view.filterLimits, view.routeLimits, now);
    if (limited !== undefined) {
      // §4.2: 429 (or the configured status), body `local_rate_limited`, flag RL, x-envoy-ratelimited.
      return serverLocalReply(limited, Flag.RL, call.protocol, 18, true);
    }
  }
  const authz = view.authz;
  if (authz.custom.length + authz.deny.length + authz.allow.length > 0) {
    const decision = decideAuthz(authz, authzContext(call, req));
    // §3: CUSTOM deny is 403 with UAEX; RBAC deny is 403 `RBAC: access denied` with no flag.
    if (decision === 'custom-deny') return serverLocalReply(403, Flag.UAEX, call.protocol, 0, false);
    if (decision === 'deny') return serverLocalReply(403, 0, call.protocol, 19, false);
  }
  const app = runApp(ctx, call.server, req, now);
  return {
    code: app.code,
    grpcStatus: app.grpcStatus,
    flags: 0,
    durationMs: app.durationMs,
    responseBytes: app.responseBytes,
    rateLimited: false,
  };
}

function serverLocalReply(
  code: number,
  flags: number,
  protocol: AppProtocol,
  body: number,
  rateLimited: boolean,
): ServerOutcome {
  const grpc = protocol === 'grpc';
  return {
    code: grpc ? 200 : code,
    grpcStatus: grpc ? httpToGrpcStatus(code) : -1,
    flags,
    durationMs: 0.1,
    responseBytes: 120 + body,
    rateLimited,
  };
}

/**
 * §4.2: per-route configs for this inbound port replace the filter-level config. Each request on
 * an enabled config costs a token; an empty bucket rejects only when the request is also enforced.
 */
function rateLimit(
  ctx: EngineContext,
  call: InboundCall,
  filterLimits: CompiledRateLimit[],
  routeLimits: CompiledRateLimit[],
  now: number,
): number | undefined {
  let limits = filterLimits;
  if (routeLimits.length > 0) {
    const forPort = routeLimits.filter(
      (l) => l.port === undefined || l.port === call.port || l.port === call.targetPort,
    );
    if (forPort.length > 0) limits = forPort;
  }
  for (const limit of limits) {
    if (!ctx.rng.chance(limit.enabled)) continue;
    const bucket = ctx.runtime.bucket(call.server, limit, now);
    if (!bucket.tryConsume(now) && ctx.rng.chance(limit.enforced)) return limit.status;
  }
  return undefined;
}

/** §3: plaintext carries no identity, so principal and namespace are empty without mTLS. */
function authzContext(call: InboundCall, req: SimRequest): AuthzContext {
  const q = req.path.indexOf('?');
  return {
    principal: call.mtls ? call.client.principal : '',
    sourceNamespace: call.mtls ? call.client.namespace : '',
    sourceIp: call.client.ip,
    remoteIp: call.client.ip,
    host: req.authority,
    method: req.method,
    path: q === -1 ? req.path : req.path.slice(0, q),
    port: call.targetPort,
    destinationIp: call.server.ip,
    headers: req.headers,
  };
}
