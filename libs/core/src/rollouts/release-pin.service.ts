import type { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '@heliomesh/auth';
import { PolicyEntity, type RolloutEntity, type RolloutPhase } from '@heliomesh/db';
import { parsePolicyBody } from '@heliomesh/policy';
import { errorMessage, HeliomeshError } from '@heliomesh/util';
import { PendingAudit } from '../common/pending-audit.util.js';
import type { TenantRequestContext } from '../common/request-context.types.js';
import { type Change, PolicyChangeService } from '../policies/policy-change.service.js';
import type { RolloutEventDraft } from './rollout.types.js';

/**
 * When a rollout ends it stops driving its service's route and the policies apply again. So that
 * what the cluster runs is what the desired state says (and GitOps export shows it), the engine
 * leaves the outcome in a TrafficSplit, as an audited policy change by the rollout:
 * - succeeded: the service's TrafficSplit (or a new `<service>-release`) sends 100 % to the canary;
 * - otherwise: an existing TrafficSplit applies again untouched; without one, a new
 *   `<service>-release` sends 100 % to stable, so traffic does not spread over every version.
 */
export class ReleasePinService {
  private readonly changes: PolicyChangeService;

  constructor(db: DataSource) {
    this.changes = new PolicyChangeService(db);
  }

  /** The pin's audit event goes to `audit`, appended by the caller as its transaction's last step. */
  async pin(
    m: EntityManager,
    row: RolloutEntity,
    outcome: RolloutPhase,
    audit: PendingAudit,
  ): Promise<RolloutEventDraft | null> {
    const splits = await m
      .getRepository(PolicyEntity)
      .createQueryBuilder('p')
      .where(`p.service_id = :serviceId AND p.kind = 'TrafficSplit' AND p.target->'match' IS NULL`, {
        serviceId: row.serviceId,
      })
      .orderBy('p.created_at')
      .getMany();
    const succeeded = outcome === 'Succeeded';
    if (!succeeded && splits.length > 0)
      return {
        type: 'pin',
        message: `TrafficSplit "${splits[0]!.name}" governs ${row.namespace}/${row.service} again.`,
        data: { policy: splits[0]!.name },
      };
    const version = succeeded ? row.canaryVersion : row.stableVersion;
    const existing = splits[0];
    const name = existing?.name ?? `${row.service}-release`;
    const spec = { ...(existing?.spec ?? {}), weights: [{ version, weight: 100 }] };
    const parsed = parsePolicyBody({
      name,
      kind: 'TrafficSplit',
      target: existing?.target ?? { namespace: row.namespace, service: row.service },
      spec,
    });
    if (!parsed.ok) return failed(name, version, parsed.issues[0]?.message ?? 'invalid policy');
    const [cluster]: Array<{ id: string; name: string }> = await m.query(
      `SELECT id, name FROM clusters WHERE id = $1`,
      [row.clusterId],
    );
    const change: Change = existing
      ? { type: 'update', body: parsed.value, cluster: cluster!, existing }
      : { type: 'create', body: parsed.value, cluster: cluster! };
    const pinned = new PendingAudit();
    await m.query('SAVEPOINT release_pin');
    try {
      await this.changes.applyIn(m, engineContext(row, outcome), [change], pinned);
      await m.query('RELEASE SAVEPOINT release_pin');
      audit.adopt(pinned);
    } catch (err) {
      await m.query('ROLLBACK TO SAVEPOINT release_pin');
      if (!(err instanceof HeliomeshError) && (err as { code?: string }).code !== '23505') throw err;
      return failed(name, version, errorMessage(err));
    }
    return {
      type: 'pin',
      message: `TrafficSplit "${name}" now sends 100 % of ${row.namespace}/${row.service} to ${version}.`,
      data: { policy: name, version, change: change.type },
    };
  }
}

function failed(name: string, version: string, why: string): RolloutEventDraft {
  return {
    type: 'pin',
    message: `Could not write TrafficSplit "${name}" to keep 100 % on ${version}: ${why}. The service's policies govern its route now; check them.`,
    data: { policy: name, version, error: why },
  };
}

function engineContext(row: RolloutEntity, outcome: RolloutPhase): TenantRequestContext {
  const auth: AuthContext = {
    tokenId: 'rollout-engine',
    tokenName: 'rollout-engine',
    role: 'operator',
    tenantId: row.tenantId,
    actor: `system:rollout:${row.id}`,
  };
  return { auth, tenantId: row.tenantId, reason: `rollout ${row.id} ${outcome}` };
}
