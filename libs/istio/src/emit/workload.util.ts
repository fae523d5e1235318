import type { MeshService, ServicePort } from '../snapshot/snapshot.types.js';

/**
 * The pod labels of a service's workloads: the Service selector when known, else the labels every
 * version has in common, minus labels naming the version itself (`version: v1`), so a service
 * with one version today still covers the next one. Empty means "cannot select": HM4005 blocks
 * the objects that need it, as an empty selector would apply them to the whole namespace.
 */
export function workloadSelector(service: MeshService): Record<string, string> {
  if (service.selector) return { ...service.selector };
  const [first, ...rest] = service.versions;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(first.labels))
    if (value !== first.name && rest.every((v) => v.labels[key] === value)) out[key] = value;
  return out;
}

export function findPort(service: MeshService, port: number | undefined): ServicePort | undefined {
  return port === undefined ? undefined : service.ports.find((p) => p.port === port);
}

/** The container port behind a service port (what inbound listeners and AuthorizationPolicies see). */
export function workloadPort(port: ServicePort): number {
  return port.targetPort ?? port.port;
}
