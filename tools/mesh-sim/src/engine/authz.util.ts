import type { PodInfo } from './engine.types.js';
import type { AuthzContext, CompiledAuthorizationPolicy } from './authz.compiler.js';
import { labelsMatch } from './registry.compiler.js';

/** The policies that apply to one workload, by action. */
export interface WorkloadAuthz {
  custom: CompiledAuthorizationPolicy[];
  deny: CompiledAuthorizationPolicy[];
  allow: CompiledAuthorizationPolicy[];
}

/**
 * istio-semantics §3 scope: without a selector a policy covers its namespace (the whole mesh in
 * the root namespace); a selector matches pods of the same namespace (of every namespace from the
 * root namespace). targetRefs policies are for gateways and waypoints, never sidecars.
 */
export function authzForPod(
  policies: ReadonlyArray<CompiledAuthorizationPolicy>,
  pod: PodInfo,
  rootNamespace: string,
): WorkloadAuthz {
  const out: WorkloadAuthz = { custom: [], deny: [], allow: [] };
  for (const p of policies) {
    if (p.namespace !== pod.namespace && p.namespace !== rootNamespace) continue;
    if (p.selector && !labelsMatch(p.selector, pod.labels)) continue;
    switch (p.action) {
      case 'CUSTOM':
        out.custom.push(p);
        break;
      case 'DENY':
        out.deny.push(p);
        break;
      case 'ALLOW':
        out.allow.push(p);
        break;
      case 'AUDIT':
        // AUDIT never changes the decision.
        break;
    }
  }
  return out;
}

export type AuthzDecision = 'allow' | 'deny' | 'custom-deny';

function matches(policy: CompiledAuthorizationPolicy, ctx: AuthzContext): boolean {
  for (const rule of policy.rules) if (rule(ctx)) return true;
  return false;
}

/**
 * §3 decision order: a matching CUSTOM policy asks ext_authz, whose deny is final; a matching DENY
 * denies; with no ALLOW policy the request is allowed; a matching ALLOW allows; otherwise deny.
 * The simulated ext_authz server behaves like Istio's sample: it allows `x-ext-authz: allow`.
 */
export function decideAuthz(authz: WorkloadAuthz, ctx: AuthzContext): AuthzDecision {
  for (const p of authz.custom) {
    if (matches(p, ctx) && ctx.headers['x-ext-authz'] !== 'allow') return 'custom-deny';
  }
  for (const p of authz.deny) if (matches(p, ctx)) return 'deny';
  if (authz.allow.length === 0) return 'allow';
  for (const p of authz.allow) if (matches(p, ctx)) return 'allow';
  return 'deny';
}
