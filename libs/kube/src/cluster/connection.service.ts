import { errorMessage } from '@heliomesh/util';
import { withRetries, type RetryPolicy } from '../client/retry-policy.util.js';
import { KubeError, type KubeErrorCode } from '../errors/kube-error.util.js';
import { GENERATED_KINDS, isRecord, type KindRef } from '../kube.types.js';
import type { KubeCluster } from './kube-cluster.model.js';

export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
  platform?: string;
}

export interface KindAvailability extends KindRef {
  served: boolean;
}

export interface ConnectionReport {
  cluster: string;
  server: string;
  /** Reachable, credentials accepted, and every kind Heliomesh generates is served. */
  ok: boolean;
  version?: ServerVersion;
  istio?: { served: boolean; kinds: KindAvailability[] };
  latencyMs: number;
  /** Why `ok` is false: KUBE_UNREACHABLE, KUBE_TIMEOUT, KUBE_UNAUTHORIZED, KUBE_FORBIDDEN, KUBE_ISTIO_MISSING... */
  error?: { code: KubeErrorCode; message: string };
}

/** A connection test is interactive: one quick retry for a blip, then the answer. */
const PROBE_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 1_000 };

function explain(err: unknown, server: string): { code: KubeErrorCode; message: string } {
  if (!(err instanceof KubeError)) return { code: 'KUBE_SERVER_ERROR', message: errorMessage(err) };
  const inner = err.code === 'KUBE_RETRIES_EXHAUSTED' && err.cause instanceof KubeError ? err.cause : err;
  switch (inner.code) {
    case 'KUBE_UNAUTHORIZED':
      return {
        code: inner.code,
        message: `${server} rejected the credentials (401 Unauthorized); the token or client certificate is wrong or expired`,
      };
    case 'KUBE_FORBIDDEN':
      return {
        code: inner.code,
        message: `${server} accepted the credentials but denied access (403): ${inner.message}; grant the service account read access to discovery`,
      };
    default:
      return { code: inner.code, message: inner.message };
  }
}

/**
 * Checks a cluster the way a "test connection" button needs: the server answers /version, our
 * credentials pass an authenticated discovery call (/version alone is public on most clusters),
 * and the Istio kinds Heliomesh writes are served.
 */
export async function testConnection(
  cluster: KubeCluster,
  kinds: readonly KindRef[] = GENERATED_KINDS,
): Promise<ConnectionReport> {
  const started = cluster.clock.now();
  const base = { cluster: cluster.name, server: cluster.server };
  const done = (rest: Omit<ConnectionReport, 'cluster' | 'server' | 'latencyMs'>): ConnectionReport => ({
    ...base,
    ...rest,
    latencyMs: Math.round(cluster.clock.now() - started),
  });
  let version: ServerVersion;
  try {
    const { value } = await withRetries(
      () => cluster.api.send<unknown>({ method: 'GET', path: '/version', timeoutMs: 5_000 }),
      PROBE_RETRY,
      {
        what: `GET ${cluster.server}/version`,
        clock: cluster.clock,
      },
    );
    const v = isRecord(value.body) ? value.body : {};
    version = {
      gitVersion: String(v['gitVersion'] ?? 'unknown'),
      major: String(v['major'] ?? ''),
      minor: String(v['minor'] ?? ''),
      ...(typeof v['platform'] === 'string' ? { platform: v['platform'] } : {}),
    };
    await cluster.api.send({ method: 'GET', path: '/apis', timeoutMs: 5_000 });
  } catch (err) {
    return done({ ok: false, error: explain(err, cluster.server) });
  }
  const availability: KindAvailability[] = [];
  try {
    for (const k of kinds)
      availability.push({
        ...k,
        served: (await cluster.objects.catalog.find(k.apiVersion, k.kind)) !== undefined,
      });
  } catch (err) {
    return done({ ok: false, version, error: explain(err, cluster.server) });
  }
  const missing = availability.filter((k) => !k.served);
  const istio = { served: missing.length === 0, kinds: availability };
  if (missing.length === 0) return done({ ok: true, version, istio });
  return done({
    ok: false,
    version,
    istio,
    error: {
      code: 'KUBE_ISTIO_MISSING',
      message: `${cluster.server} does not serve ${missing.map((k) => `${k.kind} (${k.apiVersion})`).join(', ')}; install Istio 1.22 or later (its CRDs) in this cluster`,
    },
  });
}
