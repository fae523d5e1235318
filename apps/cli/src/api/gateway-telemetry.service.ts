import { errorMessage } from '@heliomesh/util';
import type { FetchFn } from './api-client.service.js';

export interface HealthEntryView {
  version: string | null;
  status: 'HEALTHY' | 'DEGRADED' | 'FAILURE' | 'NO_DATA';
  requestCount: number;
}

export interface VersionMetricsView {
  version: string;
  requestRate: number;
  successRate: number | null;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null };
}

export interface ServiceTelemetry {
  windowSeconds: number;
  status: HealthEntryView['status'];
  requestCount: number;
  versions: HealthEntryView[];
  metrics: VersionMetricsView[];
  /** Set when the gateway could not ask the metrics collector. */
  error?: string;
}

const QUERY = `query ServiceTelemetry($id: ID!, $window: Int!) {
  service(id: $id) {
    health(window: $window) { status requestCount windowSeconds versions { version status requestCount } error { code message } }
    metrics(window: $window) { versions { version requestRate successRate latencyMs { p50 p90 p99 } } error { code message } }
  }
}`;

interface GraphQlAnswer {
  data?: {
    service: {
      health: Omit<ServiceTelemetry, 'metrics' | 'error'> & {
        error: { code: string; message: string } | null;
      };
      metrics: { versions: VersionMetricsView[]; error: { code: string; message: string } | null };
    } | null;
  };
  errors?: Array<{ message: string }>;
}

/**
 * Live request health and per-version metrics of one service, from the GraphQL gateway (which
 * asks the metrics collector). The REST API has no telemetry, so `describe` asks the gateway when
 * the context names one; any failure is a sentence to show, never an exception.
 */
export async function serviceTelemetry(
  gateway: string,
  auth: { token?: string; tenant?: string },
  serviceId: string,
  windowSeconds: number,
  fetchFn: FetchFn = (input, init) => fetch(input, init),
): Promise<ServiceTelemetry | { error: string }> {
  try {
    const res = await fetchFn(`${gateway.replace(/\/+$/, '')}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
        ...(auth.tenant ? { 'x-heliomesh-tenant': auth.tenant } : {}),
      },
      body: JSON.stringify({ query: QUERY, variables: { id: serviceId, window: windowSeconds } }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as GraphQlAnswer;
    const service = body.data?.service;
    if (!service)
      return { error: `the gateway answered ${res.status}: ${body.errors?.[0]?.message ?? 'no data'}` };
    const { error: healthError, ...health } = service.health;
    const problem = healthError ?? service.metrics.error;
    return {
      ...health,
      metrics: service.metrics.versions,
      ...(problem ? { error: `${problem.code}: ${problem.message}` } : {}),
    };
  } catch (err) {
    return { error: `cannot reach the gateway at ${gateway} (${errorMessage(err)})` };
  }
}
