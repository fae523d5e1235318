import { KubeError } from '../errors/kube-error.util.js';
import type { KindRef } from '../kube.types.js';
import { testConnection, type ConnectionReport } from './connection.service.js';
import { KubeCluster, type ClusterOptions } from './kube-cluster.model.js';
import {
  loadInCluster,
  loadKubeconfig,
  loadKubeconfigFile,
  loadSandbox,
  type InClusterOptions,
  type KubeconfigOptions,
  type LoadedConfig,
} from './kubeconfig.util.js';

/** Where a cluster's address and credentials come from. */
export type ClusterSource =
  | ({ type: 'kubeconfig'; kubeconfig: string } & Omit<KubeconfigOptions, 'baseDir'>)
  /** A kubeconfig file on this machine (an operator's own: trusted, relative paths resolved). */
  | { type: 'kubeconfig-file'; path: string; context?: string }
  | ({ type: 'in-cluster' } & InClusterOptions)
  /** The sandbox (tools/kube-sim) by URL, or by the kubeconfig it wrote. */
  | { type: 'sandbox'; url: string }
  | { type: 'sandbox'; kubeconfig: string };

/** A cluster, by registered name or as the object itself. */
export type ClusterRef = string | KubeCluster;

function load(source: ClusterSource): LoadedConfig {
  switch (source.type) {
    case 'kubeconfig':
      return loadKubeconfig(source.kubeconfig, { ...source, baseDir: undefined });
    case 'kubeconfig-file':
      return loadKubeconfigFile(source.path, source.context !== undefined ? { context: source.context } : {});
    case 'in-cluster':
      return loadInCluster(source);
    case 'sandbox':
      // A kubeconfig kube-sim wrote is ours to trust: it has no exec or file entries anyway.
      return 'url' in source ? loadSandbox(source.url) : loadKubeconfig(source.kubeconfig, { trusted: true });
  }
}

/**
 * The clusters this process talks to. Each registered cluster gets its own HTTP client, rate
 * limiter (shared by every Applier, Pruner, DriftWatcher and Discovery call to it) and discovery
 * cache, so one slow or throttled cluster never holds up another.
 */
export class ClusterRegistry {
  private readonly clusters = new Map<string, KubeCluster>();

  constructor(private readonly defaults: ClusterOptions = {}) {}

  /** Registers (or replaces) a cluster; bad input fails with KUBE_CONFIG_INVALID naming the field. */
  register(name: string, source: ClusterSource, options: ClusterOptions = {}): KubeCluster {
    if (!/^[a-z0-9]([-a-z0-9._]{0,61}[a-z0-9])?$/i.test(name))
      throw new KubeError({
        code: 'KUBE_CONFIG_INVALID',
        message: `cluster name "${name}" must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
        path: ['name'],
      });
    const cluster = new KubeCluster(name, source.type, load(source), {
      ...this.defaults,
      ...options,
      rateLimit: { ...this.defaults.rateLimit, ...options.rateLimit },
    });
    const previous = this.clusters.get(name);
    this.clusters.set(name, cluster);
    if (previous) void previous.close();
    return cluster;
  }

  has(name: string): boolean {
    return this.clusters.has(name);
  }

  get(name: string): KubeCluster {
    const cluster = this.clusters.get(name);
    if (!cluster)
      throw new KubeError({
        code: 'KUBE_CLUSTER_UNKNOWN',
        message: `no cluster named "${name}" is registered (known: ${[...this.clusters.keys()].join(', ') || 'none'})`,
        path: ['cluster'],
      });
    return cluster;
  }

  resolve(ref: ClusterRef): KubeCluster {
    return typeof ref === 'string' ? this.get(ref) : ref;
  }

  names(): string[] {
    return [...this.clusters.keys()].sort();
  }

  async remove(name: string): Promise<void> {
    const cluster = this.clusters.get(name);
    this.clusters.delete(name);
    await cluster?.close();
  }

  /** Server version, credentials and Istio kinds of a cluster; never throws for connection problems. */
  testConnection(ref: ClusterRef, kinds?: readonly KindRef[]): Promise<ConnectionReport> {
    return testConnection(this.resolve(ref), kinds);
  }

  async close(): Promise<void> {
    const all = [...this.clusters.values()];
    this.clusters.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
