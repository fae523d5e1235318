import { parseStoredPolicy, type PolicyIssue, type StoredPolicy } from '@heliomesh/policy';
import type {
  CompileSnapshot,
  ForeignObject,
  MeshService,
  MtlsMode,
  RolloutRoute,
  ServiceRef,
} from './snapshot.types.js';

/** A policy as given, with the result of its schema check. `policy` is the parsed copy when valid. */
export interface PolicyEntry {
  policy: StoredPolicy;
  /** Position in `snapshot.policies`, for messages. */
  index: number;
  issues: PolicyIssue[];
}

/** A downstream hop of another service's full-link RequestRouting that lands on this host. */
export interface FullLinkRef {
  policy: StoredPolicy;
  /** Index in `spec.fullLink.services`. */
  entry: number;
  version: string;
}

/** Everything that decides one host's output; compiling it never looks at another unit. */
export interface HostUnit {
  host: string;
  service: MeshService;
  serviceIndex: number;
  policies: PolicyEntry[];
  fullLinks: FullLinkRef[];
  rollouts: RolloutRoute[];
  /** Foreign objects that claim this host or one of the names Heliomesh would generate for it. */
  foreign: ForeignObject[];
  /** Index of an earlier service with the same host, when the snapshot lists it twice. */
  duplicateOf?: number;
}

/** A policy that reaches no host (unknown service or unreadable target). */
export interface OrphanPolicy {
  entry: PolicyEntry;
  host?: string;
}

export interface SnapshotIndex {
  snapshot: CompileSnapshot;
  domainSuffix: string;
  units: Map<string, HostUnit>;
  services: Map<string, MeshService>;
  orphans: OrphanPolicy[];
  foreignByName: Map<string, ForeignObject>;
  /** Policy id -> id of another policy that would generate an object with the same name. */
  nameClashes: Map<string, string>;
  mtls(namespace: string): MtlsMode;
}

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const TENANT_LABEL = 'heliomesh.io/tenant';
export const MANAGED_BY = 'heliomesh';

export function hostOf(namespace: string, service: string, domainSuffix = 'cluster.local'): string {
  return `${service}.${namespace}.svc.${domainSuffix}`;
}

export function serviceKey(namespace: string, service: string): string {
  return `${namespace}/${service}`;
}

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** The host a ref names, in the snapshot's domain. */
export function resolveServiceRef(ref: ServiceRef, domainSuffix: string): string {
  return typeof ref === 'string' ? ref : hostOf(ref.namespace, ref.service, domainSuffix);
}

/**
 * Indexes a snapshot by host in one pass over its lists. The reconcile worker builds it once and
 * then compiles single hosts with `compileHost` in time independent of the mesh's size.
 */
export function indexSnapshot(snapshot: CompileSnapshot): SnapshotIndex {
  const domainSuffix = snapshot.domainSuffix ?? 'cluster.local';
  const units = new Map<string, HostUnit>();
  const services = new Map<string, MeshService>();
  const duplicates: HostUnit[] = [];
  snapshot.services.forEach((service, serviceIndex) => {
    const host = hostOf(service.namespace, service.name, domainSuffix);
    const unit: HostUnit = {
      host,
      service,
      serviceIndex,
      policies: [],
      fullLinks: [],
      rollouts: [],
      foreign: [],
    };
    const earlier = units.get(host);
    if (earlier) {
      // The first listing compiles; the duplicate is reported on the host and blocks its output.
      earlier.duplicateOf = serviceIndex;
      duplicates.push(unit);
      return;
    }
    units.set(host, unit);
    services.set(serviceKey(service.namespace, service.name), service);
  });
  const orphans: OrphanPolicy[] = [];
  snapshot.policies.forEach((raw, index) => indexPolicy(raw, index, snapshot, domainSuffix, units, orphans));
  for (const rollout of snapshot.rollouts ?? []) {
    units.get(hostOf(rollout.namespace, rollout.service, domainSuffix))?.rollouts.push(rollout);
  }
  const foreignByName = indexForeign(
    (snapshot.foreignObjects ?? []).filter((o) => !isOurs(o, snapshot.tenant.name)),
    units,
    domainSuffix,
  );
  for (const unit of units.values()) {
    unit.policies.sort((a, b) => compareIds(a.policy.id, b.policy.id) || a.index - b.index);
    unit.fullLinks.sort((a, b) => compareIds(a.policy.id, b.policy.id) || a.entry - b.entry);
    unit.rollouts.sort((a, b) => compareIds(a.rolloutId, b.rolloutId));
  }
  const mtls = snapshot.mtls ?? {};
  return {
    snapshot,
    domainSuffix,
    units,
    services,
    orphans,
    foreignByName,
    nameClashes: findNameClashes(units),
    mtls: (namespace) => mtls[namespace] ?? 'PERMISSIVE',
  };
}

const OWN_OBJECT_KINDS = new Set(['AccessControl', 'RateLimit', 'Plugin']);

/** AccessControl, RateLimit and Plugin objects are named after the policy, per namespace. */
function findNameClashes(units: Map<string, HostUnit>): Map<string, string> {
  const first = new Map<string, string>();
  const clashes = new Map<string, string>();
  const entries = [...units.values()].flatMap((u) => u.policies).filter((e) => e.issues.length === 0);
  entries.sort((a, b) => compareIds(a.policy.id, b.policy.id));
  for (const { policy } of entries) {
    if (!OWN_OBJECT_KINDS.has(policy.kind)) continue;
    const key = `${policy.kind}/${policy.target.namespace}/${policy.name}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, policy.id);
    else {
      clashes.set(policy.id, earlier);
      if (!clashes.has(earlier)) clashes.set(earlier, policy.id);
    }
  }
  return clashes;
}

/** Objects Heliomesh generated for this tenant are ours to replace; anything else is foreign. */
export function isOurs(object: ForeignObject, tenantName: string): boolean {
  const labels = object.metadata.labels ?? {};
  return labels[MANAGED_BY_LABEL] === MANAGED_BY && labels[TENANT_LABEL] === tenantName;
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function indexPolicy(
  raw: StoredPolicy,
  index: number,
  snapshot: CompileSnapshot,
  domainSuffix: string,
  units: Map<string, HostUnit>,
  orphans: OrphanPolicy[],
): void {
  const parsed = parseStoredPolicy(raw);
  const entry: PolicyEntry = parsed.ok
    ? { policy: parsed.value, index, issues: [] }
    : { policy: raw, index, issues: parsed.issues };
  const target = readTarget(raw);
  if (!target) {
    orphans.push({ entry });
    return;
  }
  if (snapshot.cluster !== undefined && target.cluster !== undefined && target.cluster !== snapshot.cluster)
    return;
  const host = hostOf(target.namespace, target.service, domainSuffix);
  const unit = units.get(host);
  if (!unit) {
    orphans.push({ entry, host });
    return;
  }
  unit.policies.push(entry);
  if (parsed.ok && parsed.value.kind === 'RequestRouting') {
    parsed.value.spec.fullLink?.services.forEach((hop, entryIndex) => {
      const hopHost = hostOf(hop.namespace ?? target.namespace, hop.service, domainSuffix);
      // A hop onto the entry service itself is reported by HM1021, not compiled.
      if (hopHost === host) return;
      units.get(hopHost)?.fullLinks.push({ policy: parsed.value, entry: entryIndex, version: hop.version });
    });
  }
}

/** The target's routing fields when they are readable, even if the rest of the policy is not. */
function readTarget(raw: unknown): { namespace: string; service: string; cluster?: string } | undefined {
  const target = (raw as { target?: unknown } | null)?.target as Record<string, unknown> | undefined;
  if (!target || typeof target !== 'object') return undefined;
  const { namespace, service, cluster } = target;
  if (typeof namespace !== 'string' || typeof service !== 'string') return undefined;
  return { namespace, service, ...(typeof cluster === 'string' ? { cluster } : {}) };
}

function indexForeign(
  objects: readonly ForeignObject[],
  units: Map<string, HostUnit>,
  domainSuffix: string,
): Map<string, ForeignObject> {
  const byName = new Map<string, ForeignObject>();
  const wildcards: Array<{ suffix: string; object: ForeignObject }> = [];
  for (const object of objects) {
    const namespace = object.metadata.namespace ?? 'default';
    byName.set(objectKey(object.kind, namespace, object.metadata.name), object);
    if (object.kind !== 'VirtualService' && object.kind !== 'DestinationRule') continue;
    for (const claimed of claimedHosts(object, namespace, domainSuffix)) {
      if (claimed === '*' || claimed.startsWith('*.')) wildcards.push({ suffix: claimed.slice(1), object });
      else units.get(claimed)?.foreign.push(object);
    }
  }
  if (wildcards.length > 0)
    for (const unit of units.values())
      for (const w of wildcards)
        if (w.suffix === '' || unit.host.endsWith(w.suffix)) unit.foreign.push(w.object);
  return byName;
}

/**
 * The FQDNs a VirtualService (hosts) or DestinationRule (host) binds for sidecars. Short names
 * resolve in the object's own namespace; `name.ns` and `name.ns.svc` reach the same virtual host.
 */
function claimedHosts(object: ForeignObject, namespace: string, domainSuffix: string): string[] {
  const spec = (object.spec ?? {}) as { hosts?: unknown; host?: unknown; gateways?: unknown };
  if (object.kind === 'VirtualService' && Array.isArray(spec.gateways) && !spec.gateways.includes('mesh'))
    return [];
  const raw = object.kind === 'VirtualService' ? spec.hosts : [spec.host];
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (const h of raw) {
    if (typeof h !== 'string' || h.length === 0) continue;
    const parts = h.split('.');
    if (h === '*' || h.startsWith('*.')) out.push(h);
    else if (parts.length === 1) out.push(hostOf(namespace, h, domainSuffix));
    else if (parts.length === 2) out.push(`${h}.svc.${domainSuffix}`);
    else if (parts.length === 3 && parts[2] === 'svc') out.push(`${h}.${domainSuffix}`);
    else out.push(h);
  }
  return out;
}
