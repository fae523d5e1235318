import type { HostResult, IstioObject } from '@heliomesh/istio';

/**
 * The objects Heliomesh should own for a host. The compiler describes every service it is given;
 * a service no policy or rollout governs is left to its owners (no objects, so any we applied
 * before are pruned).
 */
export function governedObjects(result: HostResult | undefined): IstioObject[] {
  if (!result) return [];
  return result.explain.some((e) => e.source !== 'service') ? result.objects : [];
}
