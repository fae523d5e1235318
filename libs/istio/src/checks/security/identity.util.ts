import type { StoredPolicyOf } from '@heliomesh/policy';

/** The identity-based lists of an access list (they need mTLS to mean anything). */
export function identityLists(p: StoredPolicyOf<'AccessControl'>): Array<'namespaces' | 'principals'> {
  return (['namespaces', 'principals'] as const).filter((l) => (p.spec.from?.[l]?.length ?? 0) > 0);
}
