import { authzForPod, type WorkloadAuthz } from './authz.util.js';
import { findDestinationRule, resolvePolicy } from './destination-rule.compiler.js';
import type { AppProtocol, PodInfo, ServiceInfo, ServicePort } from './engine.types.js';
import { hostMatches, splitAuthority } from './host.util.js';
import type { CompiledConfig } from './mesh-index.compiler.js';
import { effectiveMtls, type EffectiveMtls } from './peer-authentication.util.js';
import type { CompiledRateLimit } from './rate-limit.compiler.js';
import { labelsMatch, resolveServiceHost } from './registry.compiler.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.util.js';
import type { CompiledMatch, CompiledRoute, CompiledVirtualService, DestinationRef } from './route.types.js';
import type { ResolvedPolicy } from './traffic-policy.types.js';
import { wasmChainForPod, type RecordedWasmPlugin } from './wasm-plugin.util.js';

/** An upstream cluster `outbound|<port>|<subset>|<fqdn>` as one client proxy sees it. */
export interface ClusterInfo {
  name: string;
  service: ServiceInfo;
  port: number;
  targetPort: number;
  subset: string | undefined;
  hosts: PodInfo[];
  policy: ResolvedPolicy;
  protocol: AppProtocol;
}

/** A route as it exists on one proxy: config-time selectors already applied. */
export interface ViewRoute {
  route: CompiledRoute;
  /** Empty for a catch-all. */
  matches: CompiledMatch[];
}

export interface VirtualHost {
  service: ServiceInfo;
  port: ServicePort;
  virtualService: CompiledVirtualService | undefined;
  routes: ViewRoute[];
}

export interface ServerView {
  authz: WorkloadAuthz;
  filterLimits: CompiledRateLimit[];
  routeLimits: CompiledRateLimit[];
  wasm: RecordedWasmPlugin[];
  mtls: Map<number, EffectiveMtls>;
}

interface ClientView {
  vhosts: Map<ServicePort, VirtualHost>;
  /** By destination object (compiled once per config), then by listener port. */
  clusters: Map<DestinationRef, Map<number, ClusterInfo | null>>;
}

/** Lazily derived per-proxy views of one compiled config; a new index replaces it on change. */
export class MeshIndex {
  private readonly clientViews = new Map<PodInfo, ClientView>();
  private readonly serverViews = new Map<PodInfo, ServerView>();
  private readonly authorities = new Map<string, Map<string, ServiceInfo | undefined>>();

  constructor(
    readonly config: CompiledConfig,
    readonly rootNamespace: string,
  ) {}

  /** The service a client in `namespace` reaches with this authority (memoised per config). */
  resolveAuthority(authority: string, namespace: string): ServiceInfo | undefined {
    let byNamespace = this.authorities.get(authority);
    if (!byNamespace) {
      byNamespace = new Map();
      this.authorities.set(authority, byNamespace);
    }
    if (byNamespace.has(namespace)) return byNamespace.get(namespace);
    const service = resolveServiceHost(this.config.registry, splitAuthority(authority).host, namespace);
    byNamespace.set(namespace, service);
    return service;
  }

  virtualHost(client: PodInfo, service: ServiceInfo, port: ServicePort): VirtualHost {
    const view = this.clientView(client);
    let vhost = view.vhosts.get(port);
    if (!vhost) {
      vhost = this.buildVirtualHost(client, service, port);
      view.vhosts.set(port, vhost);
    }
    return vhost;
  }

  /** The cluster for a destination; null when the host or subset does not exist (503 NC, §1.3). */
  cluster(client: PodInfo, dest: DestinationRef, requestPort: number): ClusterInfo | null {
    const view = this.clientView(client);
    let byPort = view.clusters.get(dest);
    if (!byPort) {
      byPort = new Map();
      view.clusters.set(dest, byPort);
    }
    let cluster = byPort.get(requestPort);
    if (cluster === undefined) {
      cluster = this.buildCluster(client, dest.host, dest.port, dest.subset, requestPort);
      byPort.set(requestPort, cluster);
    }
    return cluster;
  }

  serverView(pod: PodInfo): ServerView {
    let view = this.serverViews.get(pod);
    if (!view) {
      view = this.buildServerView(pod);
      this.serverViews.set(pod, view);
    }
    return view;
  }

  private clientView(client: PodInfo): ClientView {
    let view = this.clientViews.get(client);
    if (!view) {
      view = { vhosts: new Map(), clusters: new Map() };
      this.clientViews.set(client, view);
    }
    return view;
  }

  /**
   * istio-semantics §1.1: sidecars do not merge VirtualServices for a host. Candidates are ordered
   * same-namespace, then exported to this namespace, then public; then by creation time, name and
   * namespace. The first one whose hosts match the service wins.
   */
  private buildVirtualHost(client: PodInfo, service: ServiceInfo, port: ServicePort): VirtualHost {
    const ns = client.namespace;
    const group = (vs: CompiledVirtualService): number =>
      vs.namespace === ns ? 0 : vs.exportTo.includes(ns) ? 1 : 2;
    const candidates = this.config.virtualServices
      .filter(
        (vs) => visible(vs.exportTo, vs.namespace, ns) && vs.hosts.some((h) => hostMatches(h, service.fqdn)),
      )
      .sort(
        (a, b) =>
          group(a) - group(b) ||
          a.createdMs - b.createdMs ||
          a.name.localeCompare(b.name) ||
          a.namespace.localeCompare(b.namespace),
      );
    const vs = candidates[0];
    if (!vs)
      return {
        service,
        port,
        virtualService: undefined,
        routes: [{ route: defaultRoute(service, port), matches: [] }],
      };
    const routes: ViewRoute[] = [];
    for (const route of vs.routes) {
      if (route.matches.length === 0) {
        routes.push({ route, matches: [] });
        break;
      }
      const matches = route.matches.filter((m) => appliesTo(m, client, port.port));
      // A rule whose matches all belong to other proxies does not exist here (it is not a catch-all).
      if (matches.length > 0) routes.push({ route, matches });
    }
    return { service, port, virtualService: vs, routes };
  }

  private buildCluster(
    client: PodInfo,
    fqdn: string,
    port: number | undefined,
    subset: string | undefined,
    requestPort: number,
  ): ClusterInfo | null {
    const service = this.config.registry.byFqdn.get(fqdn);
    if (!service) return null;
    // §1.3: destination.port is needed only for multi-port services; otherwise the listener's port.
    const servicePort =
      service.ports.find((p) => p.port === port) ??
      (port === undefined
        ? service.ports.length === 1
          ? service.ports[0]
          : service.ports.find((p) => p.port === requestPort)
        : undefined);
    if (!servicePort) return null;
    const merged = findDestinationRule(
      this.config.destinationRules,
      client,
      fqdn,
      service.namespace,
      this.rootNamespace,
    );
    let hosts = service.endpoints;
    if (subset !== undefined) {
      const def = merged?.subsets.get(subset);
      if (!def) return null;
      hosts = hosts.filter((pod) => labelsMatch(def.labels, pod.labels));
    }
    return {
      name: `outbound|${servicePort.port}|${subset ?? ''}|${fqdn}`,
      service,
      port: servicePort.port,
      targetPort: servicePort.targetPort,
      subset,
      hosts,
      policy: resolvePolicy(merged, servicePort.port, subset),
      protocol: servicePort.protocol,
    };
  }

  private buildServerView(pod: PodInfo): ServerView {
    const filterLimits: CompiledRateLimit[] = [];
    const routeLimits: CompiledRateLimit[] = [];
    let chained = false;
    for (const ef of this.config.envoyFilters) {
      if (ef.namespace !== pod.namespace && ef.namespace !== this.rootNamespace) continue;
      if (ef.selector && !labelsMatch(ef.selector, pod.labels)) continue;
      chained ||= ef.insertsFilter;
      filterLimits.push(...ef.filterLimits);
      routeLimits.push(...ef.routeLimits);
    }
    const mtls = new Map<number, EffectiveMtls>();
    return {
      authz: authzForPod(this.config.authorizationPolicies, pod, this.rootNamespace),
      filterLimits,
      // Per-route configs only act when the filter is in the chain (§4.1 patch 1).
      routeLimits: chained ? routeLimits : [],
      wasm: wasmChainForPod(this.config.wasmPlugins, pod, this.rootNamespace),
      mtls,
    };
  }

  mtlsMode(pod: PodInfo, targetPort: number): EffectiveMtls {
    const view = this.serverView(pod);
    let mode = view.mtls.get(targetPort);
    if (!mode) {
      mode = effectiveMtls(this.config.peerAuthentications, pod, targetPort, this.rootNamespace);
      view.mtls.set(targetPort, mode);
    }
    return mode;
  }
}

function visible(exportTo: string[], ownNamespace: string, clientNamespace: string): boolean {
  return exportTo.some(
    (e) => e === '*' || e === clientNamespace || (e === '.' && ownNamespace === clientNamespace),
  );
}

/** §1.2 config-time selectors: sourceLabels ⊆ client labels, sourceNamespace, gateways, port. */
function appliesTo(m: CompiledMatch, client: PodInfo, port: number): boolean {
  if (!m.appliesToSidecars) return false;
  if (m.port !== undefined && m.port !== port) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== client.namespace) return false;
  return !m.sourceLabels || labelsMatch(m.sourceLabels, client.labels);
}

/** Without a VirtualService the service's default route sends everything to its cluster. */
function defaultRoute(service: ServiceInfo, port: ServicePort): CompiledRoute {
  return {
    index: 0,
    name: 'default',
    matches: [],
    action: {
      kind: 'route',
      destinations: [
        { host: service.fqdn, subset: undefined, port: port.port, weight: 1, headers: undefined },
      ],
      totalWeight: 1,
    },
    fault: undefined,
    mirrors: [],
    timeoutMs: undefined,
    retry: DEFAULT_RETRY_POLICY,
    requestHeaders: undefined,
    rewrite: undefined,
    cors: undefined,
  };
}
