import type { DataSource, EntityManager } from 'typeorm';
import type { AnalysisSpec } from '@heliomesh/analysis';
import {
  isTerminal,
  PendingAudit,
  planOf,
  progressEvents,
  ReleasePinService,
  RolloutRepository,
  type RolloutEventPublisher,
  type RolloutEventView,
  type SecretBox,
  specOf,
  type StepState,
} from '@heliomesh/core';
import { inTenantTx, type RolloutEntity, type RolloutPhase } from '@heliomesh/db';
import type { RolloutTickJobData } from '@heliomesh/queue';
import { assertUnreachable, canonicalJson, sleep } from '@heliomesh/util';
import type { AnalysisResult } from '../analysis/analysis-runner.service.js';
import type { TrafficProvider, TrafficTarget } from '../traffic/traffic-provider.types.js';
import type { WebhookRunner } from '../webhooks/webhook-runner.service.js';
import { handleInitializing } from './handlers/initializing.handler.js';
import { handlePaused } from './handlers/paused.handler.js';
import { handleProgressing } from './handlers/progressing.handler.js';
import { handlePromoting } from './handlers/promoting.handler.js';
import { handleRollingBack } from './handlers/rolling-back.handler.js';
import type { TickContext, TickDeps, TickOutcome } from './tick.types.js';

export const ENGINE_ACTOR = 'system:rollout-engine';
const QUEUE_TIMEOUT_MS = 2_000;

/** The measuring side of the engine (AnalysisRunner, or a fake). */
export interface Analyst {
  run(
    spec: AnalysisSpec,
    target: { namespace: string; service: string; stable: string; canary: string },
  ): Promise<AnalysisResult>;
  isOnline(): Promise<boolean>;
}

/** Queues a tick job (idempotent by the tick's job id). */
export type TickQueue = (rolloutId: string, tick: number, delayMs: number) => Promise<unknown>;

export type TickResult = 'advanced' | 'missing' | 'stale' | 'finished' | 'lost-race';

export interface TickReport {
  rolloutId: string;
  tick: number;
  result: TickResult;
  phase?: RolloutPhase;
  /** How late the tick started against its schedule. */
  lagMs?: number;
  /** Where the tick's time went: reading the row, deciding (measurements, gates), committing. */
  stagesMs?: { read: number; decide: number; commit: number };
}

/**
 * One tick of one rollout. The job carries ids only; the handler re-reads the row and does
 * nothing unless the row still expects this very tick. Slow work (measurements, gates) runs
 * outside any transaction; the outcome then commits with `WHERE version = <read>`, so when a
 * command or another worker changed the rollout meanwhile, this tick leaves no trace.
 */
export class RolloutEngine {
  private readonly repo = new RolloutRepository();
  private readonly pins: ReleasePinService;

  constructor(
    private readonly db: DataSource,
    private readonly traffic: TrafficProvider,
    private readonly analyst: Analyst,
    private readonly webhooks: WebhookRunner,
    private readonly secrets: SecretBox,
    private readonly publisher: RolloutEventPublisher,
    private readonly queueTick: TickQueue | null = null,
    private readonly clock: () => number = Date.now,
  ) {
    this.pins = new ReleasePinService(db);
  }

  async tick(job: RolloutTickJobData): Promise<TickReport> {
    const report = (result: TickResult, extra: Partial<TickReport> = {}): TickReport => ({
      rolloutId: job.rolloutId,
      tick: job.tick,
      result,
      ...extra,
    });
    const t0 = performance.now();
    // One statement, no transaction: the commit re-checks the version anyway.
    const row = await this.repo.find(this.db.manager, job.rolloutId);
    const t1 = performance.now();
    if (!row) return report('missing');
    if (row.tick !== job.tick) return report('stale', { phase: row.phase });
    if (isTerminal(row.phase)) return report('finished', { phase: row.phase });
    const now = this.clock();
    const lagMs = row.nextTickAt ? Math.max(0, now - row.nextTickAt.getTime()) : 0;
    const secret =
      row.webhookSecret && specOf(row).webhooks.length ? this.secrets.open(row.webhookSecret) : null;
    const ctx = this.context(row, now, secret);
    const outcome = await this.dispatch(ctx);
    const t2 = performance.now();
    const events = outcome.events.map((e, i) => (i === 0 ? { ...e, data: { ...e.data, lagMs } } : e));
    const committed = await inTenantTx(this.db, row.tenantId, async (m) => {
      const audit = new PendingAudit();
      const result = await this.commit(m, ctx, { ...outcome, events }, audit);
      // Last: appending locks the tenant's audit chain until the commit (decision 0004).
      await audit.appendAll(m);
      return result;
    });
    const stagesMs = { read: t1 - t0, decide: t2 - t1, commit: performance.now() - t2 };
    if (!committed) return report('lost-race', { phase: row.phase, lagMs, stagesMs });
    await this.queueNext(committed.row);
    void this.publisher.publish(progressEvents(committed.row, committed.events));
    return report('advanced', { phase: committed.row.phase, lagMs, stagesMs });
  }

  /**
   * After the commit, straight to the queue: a crash or a Redis error in between leaves a row
   * whose next tick is overdue and has no job, which the sweeper queues again.
   */
  private async queueNext(row: RolloutEntity): Promise<void> {
    if (!this.queueTick || !row.nextTickAt) return;
    // With Redis away the add would wait for it; the sweeper covers the tick instead.
    await Promise.race([
      this.queueTick(row.id, row.tick, row.nextTickAt.getTime() - Date.now()).catch(() => undefined),
      sleep(QUEUE_TIMEOUT_MS),
    ]);
  }

  private context(row: RolloutEntity, now: number, secret: string | null): TickContext {
    const spec = specOf(row);
    const target = trafficTarget(row);
    const deps: TickDeps = {
      traffic: this.traffic,
      analyse: (analysis, r) =>
        this.analyst.run(analysis, {
          namespace: r.namespace,
          service: r.service,
          stable: r.stableVersion,
          canary: r.canaryVersion,
        }),
      providerOnline: () => this.analyst.isOnline(),
      gate: (type, r) => this.webhooks.run(type, r, spec, secret),
      checkTarget: (r) => this.checkTarget(r),
    };
    return { row, spec, plan: planOf(row), state: row.stepState as StepState, target, now, deps };
  }

  private dispatch(ctx: TickContext): Promise<TickOutcome> {
    const phase = ctx.row.phase;
    switch (phase) {
      case 'Initializing':
        return handleInitializing(ctx);
      case 'Progressing':
        return handleProgressing(ctx);
      case 'Paused':
        return handlePaused(ctx);
      case 'Promoting':
        return handlePromoting(ctx);
      case 'RollingBack':
        return handleRollingBack(ctx);
      case 'Succeeded':
      case 'RolledBack':
      case 'Failed':
      case 'Aborted':
        return Promise.resolve({ change: {}, events: [], nextTickInMs: null });
      default:
        return assertUnreachable(phase, 'rollout phase');
    }
  }

  private async commit(
    m: EntityManager,
    ctx: TickContext,
    outcome: TickOutcome,
    audit: PendingAudit,
  ): Promise<{ row: RolloutEntity; events: RolloutEventView[] } | null> {
    const { row, target, spec } = ctx;
    // Notifications go out through the outbox (RolloutNotifier), so a crash cannot lose one.
    const notify = (outcome.notify ?? []).filter((type) => spec.webhooks.some((h) => h.type === type));
    const result = await this.repo.commit(
      m,
      row,
      {
        change: { ...outcome.change, ...(outcome.to ? { phase: outcome.to } : {}) },
        events: outcome.events,
        actor: ENGINE_ACTOR,
        ...(outcome.audit ? { audit: outcome.audit } : {}),
        nextTickInMs: outcome.nextTickInMs,
        scheduleVia: this.queueTick ? 'caller' : 'outbox',
        notify,
      },
      audit,
    );
    if (!result) return null;
    const route = outcome.change.route;
    if (route && canonicalJson(route) !== canonicalJson(row.route))
      await this.traffic.setWeights(m, target, route);
    if (!isTerminal(result.row.phase) || row.route === null) return result;
    // The rollout stops driving the route; leave its outcome in the policies.
    await this.traffic.release(m, target);
    const pin = await this.pins.pin(m, result.row, result.row.phase, audit);
    const extra = pin ? await this.repo.appendEvents(m, result.row, [pin], ENGINE_ACTOR) : [];
    return { row: result.row, events: [...result.events, ...extra] };
  }

  private async checkTarget(row: RolloutEntity): Promise<string | null> {
    const rows: Array<{ removed_at: Date | null; versions: string[] | null }> = await inTenantTx(
      this.db,
      row.tenantId,
      (m) =>
        m.query(
          `SELECT s.removed_at, array_agg(v.name) FILTER (WHERE v.pods > 0) AS versions
         FROM services s LEFT JOIN service_versions v ON v.service_id = s.id WHERE s.id = $1 GROUP BY s.id`,
          [row.serviceId],
        ),
    );
    const service = rows[0];
    if (!service || service.removed_at)
      return `the service ${row.namespace}/${row.service} no longer exists.`;
    const running = service.versions ?? [];
    for (const version of [row.stableVersion, row.canaryVersion])
      if (!running.includes(version))
        return `version ${version} of ${row.namespace}/${row.service} has no running pods (running: ${running.join(', ') || 'none'}).`;
    return null;
  }
}

export function trafficTarget(row: RolloutEntity): TrafficTarget {
  return {
    rolloutId: row.id,
    tenantId: row.tenantId,
    serviceId: row.serviceId,
    namespace: row.namespace,
    service: row.service,
    stable: row.stableVersion,
    canary: row.canaryVersion,
  };
}
