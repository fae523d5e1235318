import type { EntityManager } from 'typeorm';
import {
  type NewAuditEvent,
  OutboxRepository,
  type RolloutEntity,
  type RolloutPhase,
  type RolloutStrategyKind,
  TERMINAL_ROLLOUT_PHASES,
} from '@heliomesh/db';
import type { PendingAudit } from '../common/pending-audit.util.js';
import type { RolloutRouteState } from './rollout-plan.util.js';
import { eventFromRaw, fromRaw, type RawEvent, type RawRollout } from './rollout-row.util.js';
import { assertTransition } from './rollout-state-machine.js';
import type { WebhookType } from './rollout-spec.schema.js';
import type { PhaseReason, RolloutEventDraft, RolloutEventView, StepState } from './rollout.types.js';

export { fromRaw, type RawRollout } from './rollout-row.util.js';
export { RolloutRoutesRepository } from './rollout-routes.repository.js';

/** What a transition or a tick changes; omitted fields keep their value. */
export interface RolloutChange {
  phase?: RolloutPhase;
  phaseReason?: PhaseReason | null;
  resumePhase?: RolloutPhase | null;
  /** A new step index also restarts the step (start time now, empty step state unless given). */
  stepIndex?: number;
  /** Restart the step even when the index stays (retry from step 0, a step run again). */
  restartStep?: boolean;
  stepState?: StepState;
  route?: RolloutRouteState | null;
  failedChecks?: number;
  attempt?: number;
  /** true stamps finished_at; false clears it. */
  finished?: boolean;
}

export interface CommitRequest {
  change: RolloutChange;
  events: RolloutEventDraft[];
  actor: string;
  /** Transitions and step completions are audited with the evidence behind them. */
  audit?: {
    action: string;
    data: Record<string, unknown>;
    reason?: string | null;
    requestId?: string | null;
  };
  /** When the next tick runs, or null for none (paused for a human, or finished). */
  nextTickInMs: number | null;
  /**
   * `outbox` (default): the next tick is an outbox message of this transaction. `caller`: the
   * caller queues it after the commit (the engine's hot path; the sweeper re-queues a tick that
   * never got a job, see docs/decisions/0001-rollout-ticks.md).
   */
  scheduleVia?: 'outbox' | 'caller';
  /**
   * Notification webhooks this change sends (post-rollout, rollback): one outbox message each,
   * in this transaction, so a crash after the commit cannot lose one.
   */
  notify?: WebhookType[];
}

export interface CommitResult {
  row: RolloutEntity;
  events: RolloutEventView[];
}

/** The outbox topic whose messages become delayed rollout-tick jobs. */
export const ROLLOUT_TICK_TOPIC = 'rollout-tick';

export interface RolloutTickMessage {
  rolloutId: string;
  tick: number;
  /** Epoch ms the tick is due. */
  runAt: number;
}

/** The outbox topic whose messages become notification-webhook jobs (retried until delivered). */
export const ROLLOUT_NOTIFY_TOPIC = 'rollout.notify';

export interface RolloutNotifyMessage {
  rolloutId: string;
  type: WebhookType;
  /** Names the notification; sent with every delivery of it so receivers can deduplicate. */
  deliveryId: string;
}

/** Stable for one notification: the rollout, the hook type and the tick whose commit sent it. */
export function notificationDeliveryId(rolloutId: string, type: WebhookType, tick: number): string {
  return `${rolloutId}-${type}-${tick}`;
}

const TERMINAL_SQL = TERMINAL_ROLLOUT_PHASES.map((p) => `'${p}'`).join(', ');

/**
 * Rollout rows and their events. Every state change goes through `commit`: one versioned UPDATE
 * (a concurrent writer makes it match nothing, and the caller must then act as if it never ran),
 * the events numbered after the last one, and the next tick and the notification webhooks through
 * the outbox, all in the caller's transaction; its audit event goes to the caller's
 * `PendingAudit`, appended as the transaction's last step (decision 0004).
 */
export class RolloutRepository {
  private readonly outbox = new OutboxRepository();

  async find(m: EntityManager, id: string): Promise<RolloutEntity | null> {
    const rows: RawRollout[] = await m.query(`SELECT * FROM rollouts WHERE id = $1`, [id]);
    return rows[0] ? fromRaw(rows[0]) : null;
  }

  async findForUpdate(m: EntityManager, id: string): Promise<RolloutEntity | null> {
    const rows: RawRollout[] = await m.query(`SELECT * FROM rollouts WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? fromRaw(rows[0]) : null;
  }

  async commit(
    m: EntityManager,
    row: RolloutEntity,
    req: CommitRequest,
    audit: PendingAudit,
  ): Promise<CommitResult | null> {
    const c = req.change;
    const phase = c.phase ?? row.phase;
    if (phase !== row.phase) assertTransition(row.phase, phase);
    const newStep = c.restartStep === true || (c.stepIndex !== undefined && c.stepIndex !== row.stepIndex);
    const route = c.route !== undefined ? c.route : (row.route as RolloutRouteState | null);
    const nextTickAt =
      req.nextTickInMs === null ? null : new Date(Date.now() + Math.max(0, req.nextTickInMs));
    const rows = await updated(
      m,
      `UPDATE rollouts SET phase = $3, phase_reason = $4::jsonb, resume_phase = $5, step_index = $6,
         step_started_at = $7, step_state = $8::jsonb, route = $9::jsonb, canary_weight = $10,
         failed_checks = $11, attempt = $12, finished_at = $13, next_tick_at = $14,
         event_seq = event_seq + $15, version = version + 1, tick = tick + 1, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING *`,
      [
        row.id,
        row.version,
        phase,
        json(c.phaseReason !== undefined ? c.phaseReason : row.phaseReason),
        c.resumePhase !== undefined ? c.resumePhase : row.resumePhase,
        c.stepIndex ?? row.stepIndex,
        newStep ? new Date() : row.stepStartedAt,
        json(c.stepState ?? (newStep ? {} : row.stepState)),
        json(route),
        route?.canaryWeight ?? 0,
        c.failedChecks ?? row.failedChecks,
        c.attempt ?? row.attempt,
        c.finished === undefined ? row.finishedAt : c.finished ? new Date() : null,
        nextTickAt,
        req.events.length,
      ],
    );
    if (!rows[0]) return null;
    const next = fromRaw(rows[0]);
    // Numbered from the value the UPDATE saw: an event appended meanwhile (appendEvents) took its own numbers.
    const events = await this.insertEvents(
      m,
      next,
      row.tick,
      next.eventSeq - req.events.length,
      req.events,
      req.actor,
    );
    if (nextTickAt && req.scheduleVia !== 'caller') await this.scheduleTick(m, next, nextTickAt);
    for (const type of new Set(req.notify ?? [])) await this.scheduleNotification(m, row, type);
    if (req.audit) audit.add(auditEvent(row, next, req.actor, req.audit));
    return { row: next, events };
  }

  async scheduleTick(m: EntityManager, row: RolloutEntity, runAt: Date): Promise<void> {
    const message: RolloutTickMessage = { rolloutId: row.id, tick: row.tick, runAt: runAt.getTime() };
    await this.message(m, row, ROLLOUT_TICK_TOPIC, message);
  }

  /** `row` is the row the commit read: its tick is the one that sent the notification. */
  private async scheduleNotification(m: EntityManager, row: RolloutEntity, type: WebhookType): Promise<void> {
    const message: RolloutNotifyMessage = {
      rolloutId: row.id,
      type,
      deliveryId: notificationDeliveryId(row.id, type, row.tick),
    };
    await this.message(m, row, ROLLOUT_NOTIFY_TOPIC, message);
  }

  private async message(m: EntityManager, row: RolloutEntity, topic: string, payload: object): Promise<void> {
    await this.outbox.add(m, {
      tenantId: row.tenantId,
      topic,
      payload: payload as Record<string, unknown>,
    });
  }

  /**
   * Events outside a state change (a notification's result): numbered under the row's lock, so
   * they never collide with a concurrent commit's.
   */
  async appendEvents(
    m: EntityManager,
    row: RolloutEntity,
    events: RolloutEventDraft[],
    actor: string,
  ): Promise<RolloutEventView[]> {
    if (events.length === 0) return [];
    const rows = await updated(
      m,
      `UPDATE rollouts SET event_seq = event_seq + $2 WHERE id = $1 RETURNING *`,
      [row.id, events.length],
    );
    if (!rows[0]) return [];
    const current = fromRaw(rows[0]);
    return this.insertEvents(m, current, current.tick, current.eventSeq - events.length, events, actor);
  }

  private async insertEvents(
    m: EntityManager,
    row: RolloutEntity,
    tick: number,
    lastSeq: number,
    drafts: RolloutEventDraft[],
    actor: string,
  ): Promise<RolloutEventView[]> {
    if (drafts.length === 0) return [];
    const values: unknown[] = [];
    const tuples = drafts.map((e, i) => {
      const p = values.length;
      values.push(
        row.id,
        lastSeq + i + 1,
        row.tenantId,
        tick,
        row.attempt,
        e.type,
        row.phase,
        row.stepIndex,
        row.canaryWeight,
        actor,
        e.message,
        JSON.stringify(e.data ?? {}),
      );
      const placeholders = Array.from({ length: 12 }, (_, k) => `$${p + k + 1}`);
      placeholders[11] += '::jsonb';
      return `(${placeholders.join(', ')})`;
    });
    const rows: RawEvent[] = await m.query(
      `INSERT INTO rollout_events (rollout_id, seq, tenant_id, tick, attempt, type, phase, step_index, canary_weight, actor, message, data)
       VALUES ${tuples.join(', ')} RETURNING *`,
      values,
    );
    return rows.map(eventFromRaw).sort((a, b) => a.seq - b.seq);
  }

  /** A new rollout in Initializing with its first tick due now. */
  async insert(
    m: EntityManager,
    values: {
      tenantId: string;
      clusterId: string;
      serviceId: string;
      namespace: string;
      service: string;
      strategy: RolloutStrategyKind;
      spec: Record<string, unknown>;
      stable: string;
      canary: string;
      webhookSecret: Buffer | null;
      createdBy: string;
    },
  ): Promise<RolloutEntity> {
    const rows: RawRollout[] = await m.query(
      `INSERT INTO rollouts (tenant_id, cluster_id, service_id, namespace, service, strategy, spec, stable_version,
         canary_version, phase, webhook_secret, created_by, tick, next_tick_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, 'Initializing', $10, $11, 0, now()) RETURNING *`,
      [
        values.tenantId,
        values.clusterId,
        values.serviceId,
        values.namespace,
        values.service,
        values.strategy,
        JSON.stringify(values.spec),
        values.stable,
        values.canary,
        values.webhookSecret,
        values.createdBy,
      ],
    );
    return fromRaw(rows[0]!);
  }

  async events(
    m: EntityManager,
    rolloutId: string,
    opts: { afterSeq?: number; limit?: number } = {},
  ): Promise<RolloutEventView[]> {
    const rows: RawEvent[] = await m.query(
      `SELECT * FROM rollout_events WHERE rollout_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [rolloutId, opts.afterSeq ?? 0, opts.limit ?? 100],
    );
    return rows.map(eventFromRaw);
  }

  async countActive(m: EntityManager, tenantId: string): Promise<number> {
    const [row] = await m.query(
      `SELECT count(*)::int AS n FROM rollouts WHERE tenant_id = $1 AND phase NOT IN (${TERMINAL_SQL})`,
      [tenantId],
    );
    return (row as { n: number }).n;
  }

  async activeForService(m: EntityManager, serviceId: string): Promise<RolloutEntity | null> {
    const rows: RawRollout[] = await m.query(
      `SELECT * FROM rollouts WHERE service_id = $1 AND phase NOT IN (${TERMINAL_SQL})`,
      [serviceId],
    );
    return rows[0] ? fromRaw(rows[0]) : null;
  }
}

/** TypeORM answers an UPDATE ... RETURNING with [rows, affected count]; this gives the rows. */
async function updated(m: EntityManager, sql: string, params: unknown[]): Promise<RawRollout[]> {
  const result: unknown = await m.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as RawRollout[];
  return result as RawRollout[];
}

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** The audit event of a transition, with the before/after and the evidence it rests on. */
function auditEvent(
  row: RolloutEntity,
  next: RolloutEntity,
  actor: string,
  audit: NonNullable<CommitRequest['audit']>,
): NewAuditEvent {
  return {
    tenantId: row.tenantId,
    actor,
    action: audit.action,
    resourceKind: 'Rollout',
    resourceId: row.id,
    requestId: audit.requestId ?? null,
    reason: audit.reason ?? null,
    data: {
      service: `${row.namespace}/${row.service}`,
      phase: { from: row.phase, to: next.phase },
      step: { from: row.stepIndex, to: next.stepIndex },
      canaryWeight: { from: row.canaryWeight, to: next.canaryWeight },
      tick: row.tick,
      attempt: next.attempt,
      ...audit.data,
    },
  };
}
