import { readFile } from 'node:fs/promises';
import { HeliomeshError, formatJsonPath, type ErrorDetail, type JsonPath } from '@heliomesh/util';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { normalizeLatency } from './latency.util.js';
import {
  topologySchema,
  type ClientDocument,
  type TopologyDocument,
  type VersionDocument,
} from './topology.schema.js';
import type {
  ResolvedCall,
  ResolvedClient,
  ResolvedService,
  ResolvedTopology,
  ResolvedVersion,
} from './topology.types.js';

export const CLUSTER_DOMAIN = 'cluster.local';

/** Reads and resolves a topology file; errors are `HeliomeshError`s naming the file and field. */
export async function loadTopologyFile(file: string): Promise<ResolvedTopology> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new HeliomeshError({
      code: 'TOPOLOGY_NOT_FOUND',
      status: 400,
      message: `Cannot read topology file ${file}: pass an existing YAML file with --topology.`,
      cause,
    });
  }
  return parseTopology(text, file);
}

/** Parses topology YAML (or JSON) text. `source` names the file in error messages. */
export function parseTopology(text: string, source = 'topology'): ResolvedTopology {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new HeliomeshError({
      code: 'TOPOLOGY_YAML_INVALID',
      status: 400,
      message: `${source} is not valid YAML: ${doc.errors[0]!.message}`,
    });
  }
  return resolveTopology(doc.toJS() as unknown, source);
}

/** Validates an already-parsed topology object and resolves defaults and cross-references. */
export function resolveTopology(input: unknown, source = 'topology'): ResolvedTopology {
  const parsed = topologySchema.safeParse(input);
  if (!parsed.success) throw invalid(source, parsed.error.issues.map(issueDetail));
  const details: ErrorDetail[] = [];
  const topology = resolveDocument(parsed.data, details);
  if (details.length > 0) throw invalid(source, details);
  return topology;
}

function issueDetail(issue: z.core.$ZodIssue): ErrorDetail {
  return {
    code: 'TOPOLOGY_INVALID',
    path: formatJsonPath(issue.path as JsonPath),
    message: issue.message,
  };
}

function invalid(source: string, details: ErrorDetail[]): HeliomeshError {
  const first = details[0]!;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return new HeliomeshError({
    code: 'TOPOLOGY_INVALID',
    status: 400,
    message: `${source}: ${first.path}: ${first.message}${more}. Fix the field; the schema is in tools/mesh-sim/topology.schema.json.`,
    path: first.path,
    details,
  });
}

function resolveDocument(doc: TopologyDocument, details: ErrorDetail[]): ResolvedTopology {
  const services: ResolvedService[] = doc.services.map((s) => {
    const namespace = s.namespace ?? doc.namespace;
    return {
      name: s.name,
      namespace,
      fqdn: `${s.name}.${namespace}.svc.${CLUSTER_DOMAIN}`,
      port: s.port ?? doc.defaults.port,
      protocol: s.protocol,
      serviceAccount: s.serviceAccount ?? s.name,
      propagateHeaders: s.propagateHeaders ?? doc.defaults.propagateHeaders,
      versions: [],
    };
  });
  const byKey = indexServices(doc, services, details);
  doc.services.forEach((s, i) => {
    const service = services[i]!;
    service.versions = s.versions.map((v, j) =>
      resolveVersion(
        v,
        service,
        doc,
        (k) => ['services', i, 'versions', j, 'calls', k, 'service'],
        byKey,
        details,
      ),
    );
  });
  const clients = doc.clients.map((c, i) => resolveClient(c, i, doc, byKey, details));
  return { name: doc.name, namespace: doc.namespace, hopLatencyMs: doc.hopLatencyMs, services, clients };
}

/** Services by `namespace/name`; duplicate services and versions are reported. */
function indexServices(
  doc: TopologyDocument,
  services: ResolvedService[],
  details: ErrorDetail[],
): Map<string, ResolvedService> {
  const byKey = new Map<string, ResolvedService>();
  doc.services.forEach((s, i) => {
    const service = services[i]!;
    const key = `${service.namespace}/${service.name}`;
    if (byKey.has(key)) {
      details.push(
        detail(['services', i, 'name'], `duplicate service ${key}: names are unique per namespace`),
      );
    }
    byKey.set(key, service);
    const seen = new Set<string>();
    s.versions.forEach((v, j) => {
      if (seen.has(v.name)) {
        details.push(detail(['services', i, 'versions', j, 'name'], `duplicate version ${v.name} of ${key}`));
      }
      seen.add(v.name);
    });
  });
  return byKey;
}

function resolveVersion(
  v: VersionDocument,
  service: ResolvedService,
  doc: TopologyDocument,
  callPath: (k: number) => JsonPath,
  byKey: Map<string, ResolvedService>,
  details: ErrorDetail[],
): ResolvedVersion {
  return {
    serviceName: service.name,
    namespace: service.namespace,
    name: v.name,
    workload: `${service.name}-${v.name}`,
    replicas: v.replicas,
    latency: normalizeLatency(v.latency ?? doc.defaults.latency),
    errorRate: v.errorRate,
    errorCode: v.errorCode,
    grpcErrorStatus: v.grpcErrorStatus,
    responseBytes: v.responseBytes,
    labels: v.labels,
    callMode: v.callMode,
    protocol: service.protocol,
    propagateHeaders: service.propagateHeaders,
    calls: v.calls.map((c, k): ResolvedCall => {
      const target = findService(c.service, service.namespace, byKey, callPath(k), details);
      const port = c.port ?? target?.port ?? doc.defaults.port;
      return {
        host: c.service,
        port,
        authority: port === 80 ? c.service : `${c.service}:${port}`,
        method: c.method,
        path: c.path,
        probability: c.probability,
        required: c.required,
        requestBytes: c.requestBytes,
      };
    }),
  };
}

function resolveClient(
  c: ClientDocument,
  i: number,
  doc: TopologyDocument,
  byKey: Map<string, ResolvedService>,
  details: ErrorDetail[],
): ResolvedClient {
  const namespace = c.namespace ?? doc.namespace;
  const target = findService(
    c.target.service,
    namespace,
    byKey,
    ['clients', i, 'target', 'service'],
    details,
  );
  const port = c.target.port ?? target?.port ?? doc.defaults.port;
  if (c.requests.every((r) => r.weight === 0)) {
    details.push(detail(['clients', i, 'requests'], 'at least one request template needs a weight above 0'));
  }
  return {
    name: c.name,
    namespace,
    sidecar: c.sidecar,
    serviceAccount: c.serviceAccount ?? c.name,
    labels: { app: c.name, ...c.labels },
    host: c.target.service,
    port,
    authority: port === 80 ? c.target.service : `${c.target.service}:${port}`,
    rps: c.rps,
    arrival: c.arrival,
    requests: c.requests.map((r) => ({ ...r })),
  };
}

/**
 * Resolves a call target the way cluster DNS would for a pod in `namespace`: a short name is in
 * the caller's namespace, `name.ns` and `name.ns.svc[.cluster.local]` name the namespace.
 */
function findService(
  host: string,
  namespace: string,
  byKey: Map<string, ResolvedService>,
  path: JsonPath,
  details: ErrorDetail[],
): ResolvedService | undefined {
  const parts = host.split('.');
  const key = parts.length === 1 ? `${namespace}/${parts[0]}` : `${parts[1]}/${parts[0]}`;
  const suffix = parts.slice(2).join('.');
  const found =
    suffix === '' || suffix === 'svc' || suffix === `svc.${CLUSTER_DOMAIN}` ? byKey.get(key) : undefined;
  if (!found) {
    details.push(
      detail(path, `unknown service "${host}" (from namespace ${namespace}): declare it under services`),
    );
  }
  return found;
}

function detail(path: JsonPath, message: string): ErrorDetail {
  return { code: 'TOPOLOGY_INVALID', path: formatJsonPath(path), message };
}
