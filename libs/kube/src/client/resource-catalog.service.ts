import { KubeError, isKubeError } from '../errors/kube-error.util.js';
import { groupOf, isRecord } from '../kube.types.js';
import type { KubeApiClient } from './kube-api.client.js';
import { systemClock, type Clock } from './rate-limiter.util.js';
import { withRetries, type RetryPolicy } from './retry-policy.util.js';

/** Where a kind is served: enough to build its URLs. */
export interface ResourceType {
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  /** The URL segment, e.g. `virtualservices`. */
  plural: string;
  namespaced: boolean;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** Discovery answers are cheap to keep; a kind that is missing is asked again after this long (a CRD may be installed meanwhile). */
const MISS_TTL_MS = 10_000;
const DISCOVERY_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 2_000,
};

export function apiVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The URL of a collection (name omitted) or of one object. */
export function resourcePath(rt: ResourceType, namespace?: string, name?: string): string {
  let path = apiVersionPath(rt.apiVersion);
  if (rt.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${rt.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  return path;
}

/** Per-cluster discovery cache: apiVersion -> served resources (GET /api/v1, /apis/GROUP/VERSION). */
export class ResourceCatalog {
  private readonly served = new Map<string, { resources: ApiResource[] | undefined; at: number }>();
  private readonly inflight = new Map<string, Promise<ApiResource[] | undefined>>();

  constructor(
    private readonly api: KubeApiClient,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The resource type of a kind, or KUBE_KIND_NOT_SERVED when the cluster does not serve it. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceType> {
    const rt = await this.find(apiVersion, kind);
    if (rt) return rt;
    const crdHint = groupOf(apiVersion).endsWith('istio.io') ? ' (are the Istio CRDs installed?)' : '';
    throw new KubeError({
      code: 'KUBE_KIND_NOT_SERVED',
      message: `the cluster at ${this.api.server} does not serve ${kind} in ${apiVersion}${crdHint}`,
      path: ['kind'],
    });
  }

  /** Like resolve, but undefined when the kind is not served. */
  async find(apiVersion: string, kind: string): Promise<ResourceType | undefined> {
    let resources = await this.resources(apiVersion, false);
    let hit = resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!hit) {
      resources = await this.resources(apiVersion, true);
      hit = resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    }
    if (!hit) return undefined;
    const slash = apiVersion.indexOf('/');
    return {
      apiVersion,
      group: groupOf(apiVersion),
      version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
      kind,
      plural: hit.name,
      namespaced: hit.namespaced,
    };
  }

  private async resources(apiVersion: string, refresh: boolean): Promise<ApiResource[] | undefined> {
    const cached = this.served.get(apiVersion);
    if (cached && (!refresh || this.clock.now() - cached.at < MISS_TTL_MS)) return cached.resources;
    let pending = this.inflight.get(apiVersion);
    if (!pending) {
      pending = this.fetch(apiVersion).finally(() => this.inflight.delete(apiVersion));
      this.inflight.set(apiVersion, pending);
    }
    const resources = await pending;
    this.served.set(apiVersion, { resources, at: this.clock.now() });
    return resources;
  }

  private async fetch(apiVersion: string): Promise<ApiResource[] | undefined> {
    try {
      const { value } = await withRetries(
        () => this.api.send<unknown>({ method: 'GET', path: apiVersionPath(apiVersion) }),
        DISCOVERY_RETRY,
        { what: `discovery of ${apiVersion}`, clock: this.clock },
      );
      const list =
        isRecord(value.body) && Array.isArray(value.body['resources']) ? value.body['resources'] : [];
      return list.filter(isRecord).map((r) => ({
        name: String(r['name']),
        kind: String(r['kind']),
        namespaced: r['namespaced'] === true,
      }));
    } catch (err) {
      if (isKubeError(err, 'KUBE_NOT_FOUND')) return undefined;
      throw err;
    }
  }
}
