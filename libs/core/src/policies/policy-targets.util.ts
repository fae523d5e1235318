import type { EntityManager } from 'typeorm';
import { invalid } from '../common/errors.util.js';

export interface ServiceName {
  namespace: string;
  name: string;
}

/** Every service a policy writes configuration on: its target, plus full-link downstream hops. */
export function touchedServices(
  target: Record<string, unknown>,
  spec: Record<string, unknown>,
): ServiceName[] {
  const namespace = String(target['namespace']);
  const out: ServiceName[] = [{ namespace, name: String(target['service']) }];
  const fullLink = spec['fullLink'] as
    { services?: Array<{ namespace?: string; service: string }> } | undefined;
  for (const hop of fullLink?.services ?? [])
    out.push({ namespace: hop.namespace ?? namespace, name: hop.service });
  return out;
}

/**
 * The cluster a policy lands in: the one named by its target, or the only cluster where the
 * tenant owns the namespace. Claims are read under row-level security, so a namespace of
 * another tenant looks unclaimed.
 */
export async function resolveCluster(
  m: EntityManager,
  namespace: string,
  clusterName: string | undefined,
): Promise<{ id: string; name: string }> {
  const rows: Array<{ id: string; name: string }> = await m.query(
    `SELECT c.id, c.name FROM namespace_claims n JOIN clusters c ON c.id = n.cluster_id WHERE n.namespace = $1 ORDER BY c.name`,
    [namespace],
  );
  if (clusterName !== undefined) {
    const match = rows.find((r) => r.name === clusterName);
    if (!match)
      throw invalid(
        'NAMESPACE_NOT_CLAIMED',
        `This tenant owns no namespace "${namespace}" in cluster "${clusterName}". An admin can claim it with POST /v1/namespaces.`,
        ['target', 'namespace'],
      );
    return match;
  }
  if (rows.length === 0)
    throw invalid(
      'NAMESPACE_NOT_CLAIMED',
      `This tenant owns no namespace "${namespace}". An admin can claim it with POST /v1/namespaces.`,
      ['target', 'namespace'],
    );
  if (rows.length > 1)
    throw invalid(
      'CLUSTER_AMBIGUOUS',
      `Namespace "${namespace}" is claimed in several clusters (${rows.map((r) => r.name).join(', ')}); set target.cluster.`,
      ['target', 'cluster'],
    );
  return rows[0]!;
}
