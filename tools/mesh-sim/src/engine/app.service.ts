import { sampleLatency } from '../topology/latency.util.js';
import type { ResolvedCall, ResolvedVersion } from '../topology/topology.types.js';
import type { EngineContext } from './engine-context.js';
import { isFailure, type PodInfo, type SimRequest } from './engine.types.js';

export interface AppOutcome {
  code: number;
  grpcStatus: number;
  durationMs: number;
  responseBytes: number;
}

/** Pods the topology does not describe answer quickly and call nobody. */
const DEFAULT_BEHAVIOUR: Omit<ResolvedVersion, 'serviceName' | 'namespace' | 'name' | 'workload'> = {
  replicas: 1,
  latency: { distribution: 'fixed', value: 1 },
  errorRate: 0,
  errorCode: 500,
  grpcErrorStatus: 14,
  responseBytes: 256,
  labels: {},
  callMode: 'sequential',
  calls: [],
  protocol: 'http',
  propagateHeaders: [],
};

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
/** Approximate size of a response's status line and headers. */
const RESPONSE_HEADER_BYTES = 150;

/**
 * The application in a pod: its own latency and error rate, and its downstream calls. Calls carry
 * the headers the app propagates (what full-link gray release relies on). A failed required call
 * makes the app answer 500 (gRPC INTERNAL).
 */
export function runApp(ctx: EngineContext, pod: PodInfo, req: SimRequest, now: number): AppOutcome {
  const b = pod.behaviour ?? DEFAULT_BEHAVIOUR;
  const own = sampleLatency(b.latency, ctx.rng);
  const headers = propagated(req.headers, b.propagateHeaders);
  let callsMs = 0;
  let failed = false;
  for (const call of b.calls) {
    if (call.probability < 1 && !ctx.rng.chance(call.probability)) continue;
    const start = b.callMode === 'sequential' ? now + callsMs : now;
    const outcome = ctx.outbound(pod, callRequest(call, headers), call.port, start);
    callsMs =
      b.callMode === 'sequential' ? callsMs + outcome.durationMs : Math.max(callsMs, outcome.durationMs);
    if (call.required && isFailure(outcome)) failed = true;
  }
  const error = ctx.rng.chance(b.errorRate);
  const grpc = b.protocol === 'grpc';
  const ok = !error && !failed;
  return {
    code: grpc ? 200 : error ? b.errorCode : failed ? 500 : 200,
    grpcStatus: grpc ? (error ? b.grpcErrorStatus : failed ? 13 : 0) : -1,
    durationMs: own + callsMs,
    responseBytes: RESPONSE_HEADER_BYTES + (ok ? b.responseBytes : 64),
  };
}

function propagated(
  incoming: Readonly<Record<string, string>>,
  names: readonly string[],
): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined;
  for (const name of names) {
    const value = incoming[name];
    if (value === undefined) continue;
    out ??= {};
    out[name] = value;
  }
  return out ?? NO_HEADERS;
}

function callRequest(call: ResolvedCall, headers: Readonly<Record<string, string>>): SimRequest {
  let headerBytes = 0;
  for (const name in headers) headerBytes += name.length + headers[name]!.length + 4;
  return {
    method: call.method,
    path: call.path,
    scheme: 'http',
    authority: call.authority,
    headers,
    bytes: 64 + call.path.length + call.authority.length + headerBytes + call.requestBytes,
  };
}
