import {
  assertTransition,
  isTerminal,
  parseRolloutSpec,
  planRollout,
  type RolloutEventDraft,
  type StepState,
  type WebhookType,
} from '@heliomesh/core';
import { RolloutEntity, type RolloutPhase } from '@heliomesh/db';
import { InMemoryMetricsProvider, type MeshSelector, measured, noData } from '@heliomesh/metrics';
import { describe, expect, it } from 'vitest';
import { AnalysisRunner } from '../analysis/analysis-runner.service.js';
import { InMemoryTrafficProvider } from '../traffic/in-memory-traffic.provider.js';
import { handleInitializing } from './handlers/initializing.handler.js';
import { handlePaused } from './handlers/paused.handler.js';
import { handleProgressing } from './handlers/progressing.handler.js';
import { handlePromoting } from './handlers/promoting.handler.js';
import { handleRollingBack } from './handlers/rolling-back.handler.js';
import { trafficTarget } from './rollout-engine.service.js';
import type { TickContext, TickOutcome } from './tick.types.js';

const canarySel: MeshSelector = { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v2' };
const stableSel: MeshSelector = { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v1' };
const threshold = { name: 'success', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } };

function spec(extra: Record<string, unknown> = {}, analysis: Record<string, unknown> = {}) {
  return parseRolloutSpec({
    target: { namespace: 'shop', service: 'reviews' },
    stable: 'v1',
    canary: 'v2',
    analysis: { interval: '2s', failureLimit: 0, metrics: [threshold], ...analysis },
    strategy: {
      type: 'canary',
      steps: [{ setWeight: 10 }, { analysis: {} }, { setWeight: 50 }, { analysis: {} }],
    },
    ...extra,
  });
}

/** Plays a rollout tick by tick, applying outcomes the way RolloutRepository.commit does. */
class Sim {
  row: RolloutEntity;
  readonly traffic = new InMemoryTrafficProvider(() => this.now);
  readonly metrics = new InMemoryMetricsProvider();
  readonly events: RolloutEventDraft[] = [];
  readonly phases: RolloutPhase[] = [];
  readonly notified: WebhookType[] = [];
  gates: Partial<Record<WebhookType, boolean>> = {};
  now = 1_000_000;
  private readonly runner = new AnalysisRunner(this.metrics);

  constructor(s: ReturnType<typeof spec>) {
    this.row = Object.assign(new RolloutEntity(), {
      id: '00000000-0000-0000-0000-00000000000a',
      tenantId: '00000000-0000-0000-0000-00000000000b',
      serviceId: '00000000-0000-0000-0000-00000000000c',
      namespace: 'shop',
      service: 'reviews',
      stableVersion: 'v1',
      canaryVersion: 'v2',
      strategy: s.strategy.type,
      spec: s,
      phase: 'Initializing' as RolloutPhase,
      phaseReason: null,
      resumePhase: null,
      stepIndex: 0,
      stepState: {},
      route: null,
      canaryWeight: 0,
      failedChecks: 0,
      attempt: 1,
    });
    this.healthy();
  }

  healthy(rate = 100, requests = 1_000): this {
    this.metrics
      .setAnswer('successRate', canarySel, measured(rate, { requestCount: requests }))
      .setAnswer('requestCount', canarySel, measured(requests))
      .setAnswer('requestCount', stableSel, measured(requests * 9));
    return this;
  }

  context(): TickContext {
    const s = this.row.spec as ReturnType<typeof spec>;
    return {
      row: this.row,
      spec: s,
      plan: planRollout(s),
      state: this.row.stepState as StepState,
      target: trafficTarget(this.row),
      now: this.now,
      deps: {
        traffic: this.traffic,
        analyse: (analysis) =>
          this.runner.run(analysis, { namespace: 'shop', service: 'reviews', stable: 'v1', canary: 'v2' }),
        providerOnline: () => this.metrics.isOnline(),
        gate: async (type) => {
          const passed = this.gates[type] ?? true;
          return type in this.gates
            ? { passed, event: { type: 'gate', message: `${type} ${passed}` } }
            : { passed: true };
        },
        checkTarget: async () => null,
      },
    };
  }

  async tick(): Promise<TickOutcome> {
    const ctx = this.context();
    const handler = {
      Initializing: handleInitializing,
      Progressing: handleProgressing,
      Paused: handlePaused,
      Promoting: handlePromoting,
      RollingBack: handleRollingBack,
    }[this.row.phase as 'Initializing'];
    const outcome: TickOutcome = await handler(ctx);
    this.apply(outcome);
    return outcome;
  }

  private apply(o: TickOutcome): void {
    const r = this.row;
    const c = o.change;
    if (o.to) {
      assertTransition(r.phase, o.to);
      this.phases.push(o.to);
    }
    const newStep = c.restartStep === true || (c.stepIndex !== undefined && c.stepIndex !== r.stepIndex);
    const route = c.route !== undefined ? c.route : r.route;
    if (c.route && JSON.stringify(c.route) !== JSON.stringify(r.route))
      void this.traffic.setWeights(undefined as never, trafficTarget(r), c.route);
    this.row = Object.assign(new RolloutEntity(), r, {
      phase: o.to ?? r.phase,
      phaseReason: c.phaseReason !== undefined ? c.phaseReason : r.phaseReason,
      resumePhase: c.resumePhase !== undefined ? c.resumePhase : r.resumePhase,
      stepIndex: c.stepIndex ?? r.stepIndex,
      stepState: c.stepState ?? (newStep ? {} : r.stepState),
      route,
      canaryWeight: route?.canaryWeight ?? 0,
      failedChecks: c.failedChecks ?? r.failedChecks,
    });
    this.events.push(...o.events);
    this.notified.push(...(o.notify ?? []));
    this.now += o.nextTickInMs ?? 0;
  }

  /** Ticks until the rollout waits for a human or finishes (or `max` ticks). */
  async run(max = 50): Promise<TickOutcome> {
    let last: TickOutcome | undefined;
    for (let i = 0; i < max; i++) {
      last = await this.tick();
      if (isTerminal(this.row.phase) || last.nextTickInMs === null) return last;
    }
    return last!;
  }

  weights(): number[] {
    return this.traffic.calls.map((c) => c.route.canaryWeight);
  }
}

describe('rollout handlers', () => {
  it('promote a healthy canary step by step to 100 % and succeed', async () => {
    const sim = new Sim(spec());
    await sim.run();
    expect(sim.row.phase).toBe('Succeeded');
    expect(sim.phases).toEqual(['Progressing', 'Promoting', 'Succeeded']);
    expect(sim.weights()).toEqual([0, 10, 50, 100]);
    expect(sim.row.failedChecks).toBe(0);
    expect(sim.events.filter((e) => e.type === 'step').map((e) => e.data?.['stepIndex'])).toEqual([
      0, 1, 2, 3,
    ]);
    expect(sim.notified).toEqual(['post-rollout']);
  });

  it('roll a failing canary back at the first analysis, traffic back to stable', async () => {
    const sim = new Sim(spec());
    sim.healthy(92);
    await sim.run();
    expect(sim.phases).toEqual(['Progressing', 'RollingBack', 'RolledBack']);
    expect(sim.weights()).toEqual([0, 10, 0]);
    expect(sim.row.failedChecks).toBe(1);
    expect(sim.row.phaseReason).toMatchObject({ code: 'analysis-failed', outcome: 'RolledBack' });
    const analysis = sim.events.find((e) => e.type === 'analysis')!;
    expect(analysis.data?.['verdicts']).toEqual([
      expect.objectContaining({ metric: 'success', outcome: 'fail', canary: { value: 92, samples: 1_000 } }),
    ]);
    expect(sim.notified).toEqual(['rollback', 'post-rollout']);
  });

  it('hold without failing while the canary gets too little traffic, and pause after noDataLimit runs', async () => {
    const sim = new Sim(spec({}, { noDataLimit: 4 }));
    sim.healthy(100, 5);
    await sim.run();
    expect(sim.row.phase).toBe('Paused');
    expect(sim.row.phaseReason).toMatchObject({ code: 'no-data' });
    expect(sim.row.failedChecks).toBe(0);
    const runs = sim.events.filter((e) => e.type === 'analysis');
    expect(runs).toHaveLength(4);
    expect(runs.slice(0, 3).map((e) => e.data?.['decision'])).toEqual(['hold', 'hold', 'hold']);
    expect(runs[0]!.message).toMatch(/fewer than the 100 required/);
  });

  it('pause on a provider error, keep checking, and resume by itself when the provider is back', async () => {
    const sim = new Sim(spec());
    await sim.tick(); // Initializing
    await sim.tick(); // weight 10
    sim.metrics.setOnline(false);
    const paused = await sim.tick();
    expect(sim.row.phase).toBe('Paused');
    expect(sim.row.phaseReason).toMatchObject({ code: 'provider-error' });
    expect(paused.nextTickInMs).toBe(2_000);
    expect(sim.row.failedChecks).toBe(0);
    const still = await sim.tick();
    expect(sim.row.phase).toBe('Paused');
    expect(still.nextTickInMs).toBe(2_000);
    sim.metrics.setOnline(true);
    await sim.tick();
    expect(sim.row.phase).toBe('Progressing');
    await sim.run();
    expect(sim.row.phase).toBe('Succeeded');
  });

  it('on failure with onFailure pause, send traffic to stable and wait; with freeze, keep the split', async () => {
    const paused = new Sim(spec({ onFailure: 'pause' }));
    paused.healthy(50);
    await paused.run();
    expect(paused.row).toMatchObject({
      phase: 'Paused',
      canaryWeight: 0,
      phaseReason: { code: 'analysis-failed' },
    });
    const frozen = new Sim(spec({ onFailure: 'freeze' }));
    frozen.healthy(50);
    await frozen.run();
    expect(frozen.row).toMatchObject({ phase: 'Paused', canaryWeight: 10, phaseReason: { code: 'frozen' } });
  });

  it('wait at a pause step without a duration, and time a pause with one', async () => {
    const sim = new Sim(
      spec({
        strategy: {
          type: 'canary',
          steps: [{ setWeight: 20 }, { pause: { duration: '30s' } }, { pause: {} }],
        },
      }),
    );
    const start = sim.now;
    await sim.run();
    expect(sim.row).toMatchObject({ phase: 'Paused', stepIndex: 2, phaseReason: { code: 'pause-step' } });
    expect(sim.now - start).toBeGreaterThanOrEqual(30_000);
  });

  it('hold at a failing gate: pre-rollout before any traffic, confirm-promotion before 100 %', async () => {
    const sim = new Sim(spec());
    sim.gates = { 'pre-rollout': false };
    for (let i = 0; i < 3; i++) await sim.tick();
    expect(sim.row.phase).toBe('Initializing');
    expect(sim.weights()).toEqual([]);
    sim.gates = { 'confirm-promotion': false };
    for (let i = 0; i < 12 && sim.row.phase !== 'Promoting'; i++) await sim.tick();
    for (let i = 0; i < 3; i++) await sim.tick();
    expect(sim.row.phase).toBe('Promoting');
    expect(sim.weights().at(-1)).toBe(50);
    expect(sim.events.filter((e) => e.type === 'gate').length).toBeGreaterThanOrEqual(3);
    sim.gates = {};
    await sim.run();
    expect(sim.row.phase).toBe('Succeeded');
    expect(sim.weights().at(-1)).toBe(100);
  });

  it('judge nothing until the cluster has applied the route', async () => {
    const sim = new Sim(spec());
    sim.traffic.applyImmediately = false;
    await sim.tick();
    await sim.tick();
    const held = await sim.tick();
    expect(held.events[0]!.message).toMatch(/Waiting for the cluster to apply the route/);
    expect(sim.events.some((e) => e.type === 'analysis')).toBe(false);
    sim.traffic.applyPending();
    sim.traffic.applyImmediately = true;
    // Applied just now: the next 2 s window would still hold traffic routed the old way.
    const waiting = await sim.tick();
    expect(waiting.events[0]!.message).toMatch(/Waiting for a full 2s window of traffic/);
    expect(waiting.nextTickInMs).toBe(2_000);
    expect(sim.events.some((e) => e.type === 'analysis')).toBe(false);
    await sim.run();
    expect(sim.row.phase).toBe('Succeeded');
  });

  it('roll back on a regression during the bake', async () => {
    const sim = new Sim(spec({ bake: '10s' }));
    for (
      let i = 0;
      i < 20 && !(sim.row.phase === 'Promoting' && (sim.row.stepState as StepState).bakeStartedAt);
      i++
    )
      await sim.tick();
    sim.healthy(80);
    await sim.run();
    expect(sim.phases).toEqual(['Progressing', 'Promoting', 'RollingBack', 'RolledBack']);
    expect(sim.row.phaseReason).toMatchObject({ code: 'bake-regression' });
    expect(sim.weights().slice(-2)).toEqual([100, 0]);
  });

  it('route A/B tests by the match and blue/green through a mirror, then switch fully', async () => {
    const ab = new Sim(
      spec({ strategy: { type: 'ab', match: { headers: { 'x-user': { exact: 'beta' } } }, iterations: 2 } }),
    );
    await ab.run();
    expect(ab.row.phase).toBe('Succeeded');
    expect(ab.traffic.calls.map((c) => c.route)).toEqual([
      { canaryWeight: 0 },
      { canaryWeight: 0, match: { headers: { 'x-user': { exact: 'beta' } } } },
      { canaryWeight: 100 },
    ]);
    const bg = new Sim(spec({ strategy: { type: 'blue-green', iterations: 3, mirror: { percent: 100 } } }));
    await bg.run();
    expect(bg.traffic.calls.map((c) => c.route)).toEqual([
      { canaryWeight: 0 },
      { canaryWeight: 0, mirrorPercent: 100 },
      { canaryWeight: 100 },
    ]);
    expect(bg.events.filter((e) => e.type === 'analysis')).toHaveLength(3);
  });

  it('compare judge: 0.5 % errors against a clean baseline fail with enough samples; identical versions pass', async () => {
    const compare = { name: 'errors', kind: 'request-success-rate', judge: { type: 'compare' } };
    const failing = new Sim(spec({}, { metrics: [compare] }));
    failing.metrics
      .setAnswer('requestCount', canarySel, measured(4_000))
      .setAnswer('errorCount', canarySel, measured(20))
      .setAnswer('requestCount', stableSel, measured(4_000))
      .setAnswer('errorCount', stableSel, measured(0));
    await failing.run();
    expect(failing.row.phase).toBe('RolledBack');
    const verdict = (
      failing.events.find((e) => e.type === 'analysis')!.data?.['verdicts'] as Array<{ pValue: number }>
    )[0]!;
    expect(verdict.pValue).toBeLessThan(0.02);
    const same = new Sim(spec({}, { metrics: [compare] }));
    same.metrics
      .setAnswer('requestCount', canarySel, measured(4_000))
      .setAnswer('errorCount', canarySel, measured(2))
      .setAnswer('requestCount', stableSel, measured(4_000))
      .setAnswer('errorCount', stableSel, measured(2));
    await same.run();
    expect(same.row.phase).toBe('Succeeded');
  });

  it('count a baseline without traffic as no data for a compare judge, never as a failure', async () => {
    const sim = new Sim(
      spec({}, { metrics: [{ name: 'errors', kind: 'request-success-rate', judge: { type: 'compare' } }] }),
    );
    sim.metrics
      .setAnswer('requestCount', canarySel, measured(4_000))
      .setAnswer('errorCount', canarySel, measured(400))
      .setAnswer('requestCount', stableSel, noData('no series'))
      .setAnswer('errorCount', stableSel, noData('no series'));
    for (let i = 0; i < 6; i++) await sim.tick();
    expect(sim.row.phase).toBe('Progressing');
    expect(sim.row.failedChecks).toBe(0);
  });
});
