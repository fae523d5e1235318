import type { PodInfo } from '../engine/engine.types.js';
import { formatFlags } from '../engine/response-flags.util.js';

/**
 * Istio's standard HTTP metrics (istio-semantics §5): istio_requests_total,
 * istio_request_duration_milliseconds, istio_request_bytes and istio_response_bytes, with the
 * real label names and Envoy's default histogram buckets. Series are never removed, so every
 * counter is monotonic for the life of the process.
 */

/** §5.1 Envoy default buckets (+Inf is implicit). */
export const ENVOY_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
] as const;
const NB = ENVOY_BUCKETS.length + 1;

export const Reporter = { Source: 0, Destination: 1 } as const;
export type Reporter = (typeof Reporter)[keyof typeof Reporter];
export const SecurityPolicy = { Unknown: 0, MutualTls: 1, None: 2 } as const;
export type SecurityPolicy = (typeof SecurityPolicy)[keyof typeof SecurityPolicy];
const SECURITY_NAMES = ['unknown', 'mutual_tls', 'none'];
const REPORTER_NAMES = ['source', 'destination'];

/** The labels one side of a request contributes; interned so a sample only carries an id. */
export interface PeerIdentity {
  id: number;
  workload: string;
  namespace: string;
  principal: string;
  app: string;
  version: string;
  canonicalService: string;
  canonicalRevision: string;
  cluster: string;
}

export interface ServiceIdentity {
  id: number;
  fqdn: string;
  name: string;
  namespace: string;
}

interface Series {
  labels: string;
  count: number;
  /** Duration, request-bytes and response-bytes buckets (non-cumulative) then sums, NB+1 slots each. */
  hist: Float64Array;
}

const UNKNOWN = 'unknown';
const CLUSTER_ID = 'Kubernetes';

export class IstioMetrics {
  private readonly peers = new Map<string, PeerIdentity>();
  private readonly peerById: PeerIdentity[] = [];
  private readonly services = new Map<string, Map<string, ServiceIdentity>>();
  /** Per pod object: [plaintext, mTLS] identities, so the hot path builds no keys. */
  private readonly podPeers = new WeakMap<PodInfo, [PeerIdentity | undefined, PeerIdentity | undefined]>();
  private readonly serviceById: ServiceIdentity[] = [];
  private readonly series = new Map<number, Map<number, Series>>();
  private seriesList: Series[] = [];
  samples = 0;

  /** §5.2: unknown values are `unknown`, canonical revision defaults to `latest`; principals carry `spiffe://` with mTLS. */
  readonly unknownPeer: PeerIdentity = this.internPeer({
    workload: UNKNOWN,
    namespace: UNKNOWN,
    principal: UNKNOWN,
    app: UNKNOWN,
    version: UNKNOWN,
    canonicalService: UNKNOWN,
    canonicalRevision: 'latest',
    cluster: UNKNOWN,
  });

  peer(pod: PodInfo, mtls: boolean): PeerIdentity {
    let pair = this.podPeers.get(pod);
    if (!pair) {
      pair = [undefined, undefined];
      this.podPeers.set(pod, pair);
    }
    const slot = mtls ? 1 : 0;
    return (pair[slot] ??= this.internedPeer(pod, mtls));
  }

  /**
   * Identities are interned by their label values, not by pod: the replicas of a workload report
   * into the same series, as Envoy's stats do once Prometheus sums them (and as Prometheus would
   * otherwise keep only one of several series with identical labels). A recompiled pod keeps its series.
   */
  private internedPeer(pod: PodInfo, mtls: boolean): PeerIdentity {
    const key = [
      pod.namespace,
      pod.workload,
      pod.app,
      pod.version,
      pod.principal,
      pod.canonicalService,
      pod.canonicalRevision,
      mtls ? 1 : 0,
    ].join('|');
    let peer = this.peers.get(key);
    if (!peer) {
      peer = this.internPeer(
        {
          workload: pod.workload,
          namespace: pod.namespace,
          principal: mtls ? `spiffe://${pod.principal}` : UNKNOWN,
          app: pod.app,
          version: pod.version,
          canonicalService: pod.canonicalService,
          canonicalRevision: pod.canonicalRevision,
          cluster: CLUSTER_ID,
        },
        key,
      );
    }
    return peer;
  }

  private internPeer(fields: Omit<PeerIdentity, 'id'>, key = `unknown-peer`): PeerIdentity {
    const peer = { id: this.peerById.length, ...fields };
    this.peerById.push(peer);
    this.peers.set(key, peer);
    return peer;
  }

  service(fqdn: string, name: string, namespace: string): ServiceIdentity {
    let byNamespace = this.services.get(fqdn);
    if (!byNamespace) {
      byNamespace = new Map();
      this.services.set(fqdn, byNamespace);
    }
    // The name is almost always the FQDN's first label; only other names need a composite key.
    const key =
      fqdn.startsWith(name) && fqdn.charCodeAt(name.length) === 46 ? namespace : `${name}|${namespace}`;
    let svc = byNamespace.get(key);
    if (!svc) {
      svc = { id: this.serviceById.length, fqdn, name, namespace };
      this.serviceById.push(svc);
      byNamespace.set(key, svc);
    }
    return svc;
  }

  /** One sample: §0.3 one per proxy per stream, local replies included. `grpcStatus` -1 = not gRPC. */
  record(
    reporter: Reporter,
    src: PeerIdentity,
    dst: PeerIdentity,
    svc: ServiceIdentity,
    code: number,
    grpcStatus: number,
    flags: number,
    security: SecurityPolicy,
    durationMs: number,
    requestBytes: number,
    responseBytes: number,
  ): void {
    const outer = src.id * 1048576 + dst.id;
    const grpc = grpcStatus + 1;
    const inner = ((((svc.id * 1000 + code) * 32768 + flags) * 32 + grpc) * 4 + security) * 2 + reporter;
    let byInner = this.series.get(outer);
    if (!byInner) {
      byInner = new Map();
      this.series.set(outer, byInner);
    }
    let s = byInner.get(inner);
    if (!s) {
      s = {
        labels: this.labelText(reporter, src, dst, svc, code, grpcStatus, flags, security),
        count: 0,
        hist: new Float64Array(3 * (NB + 1)),
      };
      byInner.set(inner, s);
      this.seriesList.push(s);
    }
    s.count++;
    this.samples++;
    const h = s.hist;
    h[bucketOf(durationMs)]++;
    h[NB] += durationMs;
    h[NB + 1 + bucketOf(requestBytes)]++;
    h[2 * NB + 1] += requestBytes;
    h[2 * NB + 2 + bucketOf(responseBytes)]++;
    h[3 * NB + 2] += responseBytes;
  }

  get seriesCount(): number {
    return this.seriesList.length;
  }

  private labelText(
    reporter: Reporter,
    src: PeerIdentity,
    dst: PeerIdentity,
    svc: ServiceIdentity,
    code: number,
    grpcStatus: number,
    flags: number,
    security: SecurityPolicy,
  ): string {
    const pairs: Array<[string, string]> = [
      ['reporter', REPORTER_NAMES[reporter]!],
      ['source_workload', src.workload],
      ['source_workload_namespace', src.namespace],
      ['source_principal', src.principal],
      ['source_app', src.app],
      ['source_version', src.version],
      ['source_canonical_service', src.canonicalService],
      ['source_canonical_revision', src.canonicalRevision],
      ['source_cluster', src.cluster],
      ['destination_workload', dst.workload],
      ['destination_workload_namespace', dst.namespace],
      ['destination_principal', dst.principal],
      ['destination_app', dst.app],
      ['destination_version', dst.version],
      ['destination_service', svc.fqdn],
      ['destination_service_name', svc.name],
      ['destination_service_namespace', svc.namespace],
      ['destination_canonical_service', dst.canonicalService],
      ['destination_canonical_revision', dst.canonicalRevision],
      ['destination_cluster', dst.cluster],
      ['request_protocol', grpcStatus >= 0 ? 'grpc' : 'http'],
      ['response_code', String(code)],
      ['grpc_response_status', grpcStatus >= 0 ? String(grpcStatus) : ''],
      ['response_flags', formatFlags(flags)],
      ['connection_security_policy', SECURITY_NAMES[security]!],
    ];
    return pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
  }

  /** Prometheus text exposition (format 0.0.4). */
  render(): string {
    const out: string[] = [];
    out.push('# HELP istio_requests_total Total requests.', '# TYPE istio_requests_total counter');
    for (const s of this.seriesList) out.push(`istio_requests_total{${s.labels}} ${s.count}`);
    renderHistogram(
      out,
      'istio_request_duration_milliseconds',
      'Request duration in milliseconds.',
      this.seriesList,
      0,
    );
    renderHistogram(out, 'istio_request_bytes', 'Request size in bytes.', this.seriesList, NB + 1);
    renderHistogram(out, 'istio_response_bytes', 'Response size in bytes.', this.seriesList, 2 * (NB + 1));
    return out.join('\n') + '\n';
  }
}

function bucketOf(value: number): number {
  for (let i = 0; i < ENVOY_BUCKETS.length; i++) if (value <= ENVOY_BUCKETS[i]!) return i;
  return ENVOY_BUCKETS.length;
}

/** Envoy prints bucket bounds with six significant digits (`1.8e+06`). */
const LE = [
  ...ENVOY_BUCKETS.map((b) => (b >= 1e6 ? b.toExponential().replace('e+', 'e+0') : String(b))),
  '+Inf',
];

function renderHistogram(out: string[], name: string, help: string, list: Series[], offset: number): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  for (const s of list) {
    let cumulative = 0;
    for (let i = 0; i < NB; i++) {
      cumulative += s.hist[offset + i]!;
      out.push(`${name}_bucket{${s.labels},le="${LE[i]}"} ${cumulative}`);
    }
    out.push(
      `${name}_sum{${s.labels}} ${round(s.hist[offset + NB]!)}`,
      `${name}_count{${s.labels}} ${s.count}`,
    );
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
