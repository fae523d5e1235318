import type { HealthEntry, HealthReport } from '@heliomesh/metrics';
import type { CountRow } from '../telemetry/traffic-breakdown.types.js';
import { requestHealth, type CodeTally } from './request-health.util.js';

/** Labels Istio writes when it does not know a value (istio-semantics §5.2). */
export function isKnown(value: string | undefined): value is string {
  return value !== undefined && value !== '' && value !== 'unknown';
}

export function tallyOf(row: CountRow): CodeTally {
  return {
    protocol: row.labels['request_protocol'] ?? '',
    responseCode: row.labels['response_code'] ?? '',
    grpcStatus: row.labels['grpc_response_status'] ?? '',
    count: row.count,
  };
}

interface Group {
  namespace: string;
  service: string;
  version?: string;
  tallies: CodeTally[];
}

function collect(groups: Map<string, Group>, key: string, make: () => Omit<Group, 'tallies'>, t: CodeTally) {
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { ...make(), tallies: [] }));
  g.tallies.push(t);
}

function entryOf(g: Group): HealthEntry {
  const h = requestHealth(g.tallies);
  return {
    namespace: g.namespace,
    service: g.service,
    ...(g.version === undefined ? {} : { version: g.version }),
    status: h.status,
    requestCount: h.requestCount,
    violations: h.violations,
  };
}

const byName = (a: HealthEntry, b: HealthEntry) =>
  a.namespace.localeCompare(b.namespace) ||
  a.service.localeCompare(b.service) ||
  (a.version ?? '').localeCompare(b.version ?? '');

/**
 * Health per service and per service version from rows grouped by `SERVICE_CODE_LABELS`.
 * Requests whose destination Istio could not name are left out; requests that never reached a
 * version (a fault abort, an overflow) count for the service but for no version.
 */
export function healthReport(rows: readonly CountRow[], windowSeconds: number): HealthReport {
  const services = new Map<string, Group>();
  const versions = new Map<string, Group>();
  for (const row of rows) {
    const namespace = row.labels['destination_service_namespace'];
    const service = row.labels['destination_service_name'];
    if (!isKnown(namespace) || !isKnown(service)) continue;
    const t = tallyOf(row);
    collect(services, `${namespace}/${service}`, () => ({ namespace, service }), t);
    const version = row.labels['destination_version'];
    if (isKnown(version)) {
      collect(versions, `${namespace}/${service}/${version}`, () => ({ namespace, service, version }), t);
    }
  }
  return {
    windowSeconds,
    services: [...services.values()].map(entryOf).sort(byName),
    versions: [...versions.values()].map(entryOf).sort(byName),
  };
}
