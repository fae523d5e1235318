import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  type Informer,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import { errorMessage } from '@heliomesh/util';
import {
  MESH_KINDS,
  emptySnapshot,
  type KubeObject,
  type MeshConfigSource,
  type MeshKind,
  type MeshSnapshot,
} from './mesh-config.types.js';

interface Resource {
  group: string;
  versions: string[];
  plural: string;
}

/**
 * Where each kind is served. Istio CRDs list their preferred version first; when a cluster does
 * not serve it (404) the next one is tried, and a kind whose CRD is not installed yet is retried.
 */
const RESOURCES: Record<Exclude<MeshKind, 'Service' | 'Pod'>, Resource> = {
  VirtualService: {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    plural: 'virtualservices',
  },
  DestinationRule: {
    group: 'networking.istio.io',
    versions: ['v1', 'v1beta1', 'v1alpha3'],
    plural: 'destinationrules',
  },
  EnvoyFilter: { group: 'networking.istio.io', versions: ['v1alpha3'], plural: 'envoyfilters' },
  AuthorizationPolicy: {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    plural: 'authorizationpolicies',
  },
  PeerAuthentication: {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    plural: 'peerauthentications',
  },
  WasmPlugin: { group: 'extensions.istio.io', versions: ['v1alpha1'], plural: 'wasmplugins' },
};

type Cached = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

export interface KubeConfigSourceOptions {
  /** Called when a kind cannot be listed or watched; the source keeps retrying. */
  onError?: (kind: MeshKind, message: string) => void;
  /** Max delay between retries of a failed kind (ms). */
  maxRetryDelayMs?: number;
}

/** Loads a kubeconfig from YAML text (anything with a newline) or a file path; default rules otherwise. */
export function loadKubeConfig(kubeconfig?: string | KubeConfig): KubeConfig {
  if (kubeconfig instanceof KubeConfig) return kubeconfig;
  const kc = new KubeConfig();
  if (kubeconfig === undefined) kc.loadFromDefault();
  else if (kubeconfig.includes('\n')) kc.loadFromString(kubeconfig);
  else kc.loadFromFile(kubeconfig);
  return kc;
}

/** The real source: one informer (list + watch) per kind against any Kubernetes API server. */
export class KubeConfigSource implements MeshConfigSource {
  version = 0;
  private readonly watchers: KindWatcher[];
  private cached: MeshSnapshot | undefined;

  constructor(kubeconfig: string | KubeConfig | undefined, options: KubeConfigSourceOptions = {}) {
    const kc = loadKubeConfig(kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const changed = (): void => {
      this.version++;
      this.cached = undefined;
    };
    this.watchers = MESH_KINDS.map((kind) => {
      if (kind === 'Service') {
        return new KindWatcher(
          kind,
          [
            {
              path: '/api/v1/services',
              list: () =>
                core.listServiceForAllNamespaces() as Promise<KubernetesListObject<KubernetesObject>>,
            },
          ],
          kc,
          changed,
          options,
        );
      }
      if (kind === 'Pod') {
        return new KindWatcher(
          kind,
          [
            {
              path: '/api/v1/pods',
              list: () => core.listPodForAllNamespaces() as Promise<KubernetesListObject<KubernetesObject>>,
            },
          ],
          kc,
          changed,
          options,
        );
      }
      const r = RESOURCES[kind];
      const candidates = r.versions.map((version) => ({
        path: `/apis/${r.group}/${version}/${r.plural}`,
        list: () =>
          custom.listClusterCustomObject({ group: r.group, version, plural: r.plural }) as Promise<
            KubernetesListObject<KubernetesObject>
          >,
      }));
      return new KindWatcher(kind, candidates, kc, changed, options);
    });
  }

  snapshot(): MeshSnapshot {
    if (!this.cached) {
      const snap = emptySnapshot();
      for (const w of this.watchers) snap[w.kind] = w.objects();
      this.cached = snap;
    }
    return this.cached;
  }

  /** Lists every kind once (kinds that fail keep retrying in the background). */
  async start(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.stop()));
  }

  /** Which API path each kind is read from, or undefined while it cannot be listed. */
  status(): Record<MeshKind, string | undefined> {
    return Object.fromEntries(this.watchers.map((w) => [w.kind, w.servingPath])) as Record<
      MeshKind,
      string | undefined
    >;
  }
}

interface Candidate {
  path: string;
  list: () => Promise<KubernetesListObject<KubernetesObject>>;
}

class KindWatcher {
  private informer: Cached | undefined;
  private candidate = 0;
  private failures = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  servingPath: string | undefined;

  constructor(
    readonly kind: MeshKind,
    private readonly candidates: Candidate[],
    private readonly kc: KubeConfig,
    private readonly changed: () => void,
    private readonly options: KubeConfigSourceOptions,
  ) {}

  objects(): KubeObject[] {
    return (this.informer?.list() ?? []) as KubeObject[];
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.establish();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.informer?.stop();
  }

  /** Tries the served versions in order; a 404 moves to the next, anything else retries later. */
  private async establish(): Promise<void> {
    const n = this.candidates.length;
    for (let i = 0; i < n && !this.stopped; i++) {
      const idx = (this.candidate + i) % n;
      const status = await this.tryCandidate(idx);
      if (status === 'ok') {
        this.candidate = idx;
        this.failures = 0;
        return;
      }
      if (status !== 404) break;
    }
    this.retryLater(() => this.establish());
  }

  private async tryCandidate(idx: number): Promise<'ok' | number | undefined> {
    const c = this.candidates[idx]!;
    const informer = makeInformer(this.kc, c.path, c.list) as Cached;
    let listError: unknown;
    let listed = false;
    informer.on('add', this.changed);
    informer.on('update', this.changed);
    informer.on('delete', this.changed);
    informer.on('error', (err: unknown) => {
      if (!listed) listError = err;
      else if (informer === this.informer) this.onWatchError(informer, err);
    });
    await informer.start();
    if (listError !== undefined) {
      await informer.stop();
      this.options.onError?.(this.kind, `${c.path}: ${errorMessage(listError)}`);
      return statusOf(listError);
    }
    listed = true;
    const previous = this.informer;
    this.informer = informer;
    this.servingPath = c.path;
    await previous?.stop();
    this.changed();
    return 'ok';
  }

  /** A watch that ends with an error resumes from its last resourceVersion after a backoff. */
  private onWatchError(informer: Cached, err: unknown): void {
    this.options.onError?.(this.kind, `${this.servingPath ?? ''}: ${errorMessage(err)}`);
    this.retryLater(async () => {
      await informer.start();
    });
  }

  private retryLater(fn: () => Promise<void>): void {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(this.options.maxRetryDelayMs ?? 30_000, 250 * 2 ** Math.min(this.failures, 7));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void fn(), delay);
    this.timer.unref();
  }
}

function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown };
  return typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
}
