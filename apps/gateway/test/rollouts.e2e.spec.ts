import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOPOLOGY, eventually, freePort, type MeshSimHandle, startMeshSim } from '@heliomesh/testing';
import { Subscription } from './graphql-client.js';
import {
  type GatewayPlatform,
  setUpTenant,
  startGatewayPlatform,
  type TenantSetup,
} from './gateway-platform.js';

let p: GatewayPlatform;
let t: TenantSetup;
let mesh: MeshSimHandle;

/**
 * Rollouts driven over GraphQL against the real engine: the worker judges canaries on the demo
 * shop that mesh-sim simulates at 10x (scraped every 500 ms), so a 2 s window holds 20 s of traffic.
 */
beforeAll(async () => {
  const meshPort = await freePort();
  p = await startGatewayPlatform({
    worker: true,
    workerEnv: {
      METRICS_PROVIDER: 'scrape',
      SCRAPE_TARGETS: `http://127.0.0.1:${meshPort}/metrics`,
      SCRAPE_INTERVAL_MS: '500',
      ROLLOUT_SWEEP_INTERVAL_MS: '2000',
    },
  });
  mesh = await startMeshSim({
    topology: DEMO_TOPOLOGY,
    kubeconfig: p.sandbox.kubeconfig,
    port: meshPort,
    speed: 10,
  });
  t = await setUpTenant(p, { tenant: 'release', namespaces: ['shop'] });
}, 120_000);

afterAll(async () => {
  await mesh?.stop();
  await p?.stop();
});

const analysis = {
  interval: '2s',
  window: '2s',
  minRequests: 50,
  failureLimit: 0,
  metrics: [
    { name: 'success-rate', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } },
    { name: 'latency-p99', kind: 'request-duration', judge: { type: 'threshold', max: 500 } },
  ],
};

const START =
  'mutation($s: JSON!) { startRollout(spec: $s) { rollout { id phase step { total } } webhookSecret } }';
const VIEW = `query($id: ID!) { rollout(id: $id) { phase canaryWeight phaseReason { code }
  steps { index kind state canaryWeight runs } measurements(lastRuns: 10) { metric outcome canaryValue canarySamples }
  events(first: 500) { nodes { seq type } pageInfo { hasNextPage } } targetService { name } } }`;

interface Progress {
  kind: string;
  seq: number;
  phase: string;
  canaryWeight: number;
  stepIndex: number;
  steps: number;
  eta: string | null;
  measurements: Array<{ metric: string; outcome: string; canaryValue: number | null }>;
}

async function phaseOf(id: string): Promise<{ phase: string; phaseReason: { code: string } | null }> {
  return (await t.viewer.query('query($id: ID!) { rollout(id: $id) { phase phaseReason { code } } }', { id }))
    .data.rollout;
}

describe('a rollout started over GraphQL', () => {
  it('streams its progress to a subscriber until it succeeds', async () => {
    const started = await t.operator.query(START, {
      s: {
        target: { namespace: 'shop', service: 'reviews' },
        stable: 'v1',
        canary: 'v2',
        strategy: {
          type: 'canary',
          steps: [{ setWeight: 20 }, { analysis: { runs: 2 } }, { setWeight: 60 }, { analysis: { runs: 1 } }],
        },
        analysis,
      },
    });
    expect(started.errors, started.text).toBeUndefined();
    const id = started.data.startRollout.rollout.id as string;
    const ws = t.viewer.ws();
    const sub = new Subscription<{ rolloutProgress: Progress }>(
      ws,
      `subscription($id: ID!) { rolloutProgress(id: $id) {
        kind seq phase canaryWeight stepIndex steps eta message measurements { metric outcome canaryValue } } }`,
      { id },
    );
    const snapshot = (await sub.next()).data!.rolloutProgress;
    expect(snapshot).toMatchObject({ kind: 'snapshot', steps: 4 });
    await sub.next((r) => r.data!.rolloutProgress.phase === 'Succeeded', 90_000);
    await eventually(async () => sub.done, 10_000, 50);
    expect(sub.failure).toBeUndefined();

    const progress = sub.results.map((r) => r.data!.rolloutProgress);
    // Numbered without gaps or repeats after the snapshot, whichever of Redis or the database brought them.
    const seqs = progress.slice(1).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => snapshot.seq + 1 + i));
    // Every weight the canary went through, each measurement, and an ETA while it ran.
    for (const w of [20, 60, 100]) expect(progress.map((e) => e.canaryWeight)).toContain(w);
    const measured = progress.filter((e) => e.kind === 'analysis').flatMap((e) => e.measurements);
    expect(measured.map((m) => m.metric)).toEqual(expect.arrayContaining(['success-rate', 'latency-p99']));
    expect(measured.some((m) => m.outcome === 'pass' && m.canaryValue !== null)).toBe(true);
    expect(progress.some((e) => e.phase === 'Progressing' && e.eta !== null)).toBe(true);
    expect(progress.at(-1)!.phase).toBe('Succeeded');

    const view = (await t.viewer.query(VIEW, { id })).data.rollout;
    expect(view).toMatchObject({ phase: 'Succeeded', canaryWeight: 100, targetService: { name: 'reviews' } });
    expect(view.steps.map((s: { kind: string; state: string }) => [s.kind, s.state])).toEqual([
      ['route', 'DONE'],
      ['analysis', 'DONE'],
      ['route', 'DONE'],
      ['analysis', 'DONE'],
    ]);
    expect(
      view.measurements.filter((m: { outcome: string }) => m.outcome === 'pass').length,
    ).toBeGreaterThanOrEqual(6);
    expect(view.events.nodes.map((e: { seq: number }) => e.seq)).toEqual(
      Array.from({ length: view.events.nodes.length }, (_, i) => i + 1),
    );
    await ws.dispose();
  }, 120_000);

  it('obeys every command: promote, retry, resume, pause, abort, and refuses what does not apply', async () => {
    const started = await t.operator.query(START, {
      s: {
        target: { namespace: 'shop', service: 'reviews' },
        stable: 'v2',
        canary: 'v3',
        strategy: { type: 'canary', steps: [{ pause: {} }, { setWeight: 30 }, { analysis: {} }] },
        analysis: { ...analysis, interval: '4s', window: '3s' },
      },
    });
    expect(started.errors, started.text).toBeUndefined();
    const id = started.data.startRollout.rollout.id as string;
    const atPauseStep = async () =>
      eventually(
        async () => {
          const v = await phaseOf(id);
          return v.phase === 'Paused' && v.phaseReason?.code === 'pause-step';
        },
        30_000,
        100,
      );
    const command = async (mutation: string, vars: Record<string, unknown> = {}) =>
      t.operator.query(`mutation($id: ID!) { ${mutation} }`, { id, ...vars });

    await atPauseStep();
    const notPausable = await command('pauseRollout(id: $id) { phase }');
    expect(notPausable.errors![0]!.extensions).toMatchObject({ code: 'ROLLOUT_NOT_PAUSABLE', status: 409 });
    const noReason = await command('promoteRollout(id: $id, skipAnalysis: true) { phase }');
    expect(noReason.errors![0]!.extensions).toMatchObject({ code: 'REASON_REQUIRED', path: '$.reason' });
    // Promote past the pause: v3 (slow, failing) then fails its analysis and rolls back.
    expect((await command('promoteRollout(id: $id, reason: "go") { phase }')).errors).toBeUndefined();
    await eventually(async () => (await phaseOf(id)).phase === 'RolledBack', 60_000, 100);
    const failed = (await t.viewer.query(VIEW, { id })).data.rollout;
    expect(failed.phaseReason.code).toBe('analysis-failed');
    expect(failed.measurements.some((m: { outcome: string }) => m.outcome === 'fail')).toBe(true);

    expect((await command('retryRollout(id: $id, reason: "again") { phase }')).data.retryRollout.phase).toBe(
      'Initializing',
    );
    await atPauseStep();
    expect((await command('resumeRollout(id: $id) { phase }')).data.resumeRollout.phase).toBe('Progressing');
    await eventually(
      async () =>
        (await t.viewer.query('query($id: ID!) { rollout(id: $id) { canaryWeight } }', { id })).data.rollout
          .canaryWeight === 30,
      20_000,
      50,
    );
    expect(
      (await command('pauseRollout(id: $id, reason: "hold on") { phase phaseReason { code } }')).data
        .pauseRollout,
    ).toEqual({
      phase: 'Paused',
      phaseReason: { code: 'manual' },
    });
    expect((await command('abortRollout(id: $id, reason: "stop") { phase }')).data.abortRollout.phase).toBe(
      'RollingBack',
    );
    await eventually(async () => (await phaseOf(id)).phase === 'Aborted', 30_000, 100);
    const audit = await t.viewer.query(
      '{ auditEvents(filter: { action: "rollout.*" }, first: 20) { nodes { action reason } } }',
    );
    expect(audit.data.auditEvents.nodes.map((n: { action: string }) => n.action)).toEqual(
      expect.arrayContaining([
        'rollout.promote',
        'rollout.retry',
        'rollout.resume',
        'rollout.pause',
        'rollout.abort',
      ]),
    );
  }, 120_000);
});
