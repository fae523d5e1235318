import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deployTopology,
  eventually,
  freePort,
  loadTopologyFile,
  type MeshSimHandle,
  setUpTenant,
  type SpawnedProcess,
  startMeshSim,
  type TenantSetup,
} from '@heliomesh/testing';
import { type Platform, startPlatform } from './platform-harness.js';
import { startRollout } from './rollouts-harness.js';

const SERVICES = Array.from({ length: 20 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
const STEPS = [
  { setWeight: 20 },
  { analysis: {} },
  { setWeight: 50 },
  { analysis: {} },
  { setWeight: 80 },
  { analysis: {} },
];

/** Twenty services with two healthy versions each, all called by one fan-out service. */
function crashTopology(): string {
  const services = SERVICES.map(
    (s) => `  - name: ${s}\n    versions:\n      - { name: v1 }\n      - { name: v2 }`,
  ).join('\n');
  const calls = SERVICES.map((s) => `          - { service: ${s}, path: /work }`).join('\n');
  return `apiVersion: mesh-sim.heliomesh.io/v1alpha1
kind: Topology
name: crash
namespace: crash
defaults:
  port: 9080
  latency: { distribution: lognormal, p50: 3, p99: 15 }
services:
  - name: fan
    versions:
      - name: v1
        callMode: parallel
        calls:
${calls}
${services}
clients:
  - name: load
    target: { service: fan }
    rps: 20
`;
}

let p: Platform;
let t: TenantSetup;
let mesh: MeshSimHandle;
let workerEnv: Record<string, string>;
let second: SpawnedProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'hm-crash-'));

beforeAll(async () => {
  const meshPort = await freePort();
  workerEnv = {
    METRICS_PROVIDER: 'scrape',
    SCRAPE_TARGETS: `http://127.0.0.1:${meshPort}/metrics`,
    SCRAPE_INTERVAL_MS: '500',
    ROLLOUT_SWEEP_INTERVAL_MS: '2000',
    ROLLOUT_CONCURRENCY: '16',
  };
  p = await startPlatform({ workerEnv });
  const file = join(dir, 'crash.yaml');
  writeFileSync(file, crashTopology());
  const topology = await loadTopologyFile(file);
  await deployTopology(p.sandbox.kubeconfig, topology);
  mesh = await startMeshSim({ topology, kubeconfig: p.sandbox.kubeconfig, port: meshPort, speed: 10 });
  t = await setUpTenant(p.admin, {
    tenant: 'crash-team',
    cluster: 'sandbox',
    kubeconfig: p.sandbox.kubeconfig,
    namespaces: ['crash'],
  });
}, 120_000);

afterAll(async () => {
  if (second) {
    second.child.kill('SIGTERM');
    await second.exited;
  }
  await mesh?.stop();
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function phases(ids: string[]): Promise<string[]> {
  return Promise.all(ids.map(async (id) => (await t.viewer.get(`/v1/rollouts/${id}`)).body.phase as string));
}

describe('crash safety', () => {
  it('a second worker finishes 20 rollouts after the first is SIGKILLed mid-way, each step done exactly once', async () => {
    const ids: string[] = [];
    for (const service of SERVICES) {
      const { id } = await startRollout(t.operator, {
        target: { namespace: 'crash', service },
        stable: 'v1',
        canary: 'v2',
        strategy: { type: 'canary', steps: STEPS },
        analysis: {
          interval: '1s',
          window: '1s',
          minRequests: 10,
          metrics: [
            { name: 'success-rate', kind: 'request-success-rate', judge: { type: 'threshold', min: 99 } },
          ],
        },
      });
      ids.push(id);
    }
    // Kill it once work is under way everywhere but no rollout has finished.
    await eventually(
      async () => {
        const audit = await t.viewer.get('/v1/audit?action=rollout.step-completed&limit=500');
        return audit.body.items.length >= 25;
      },
      60_000,
      50,
    );
    expect((await phases(ids)).filter((ph) => ph === 'Succeeded').length).toBeLessThan(20);
    p.worker.child.kill('SIGKILL');
    const killed = await p.worker.exited;
    expect(killed.signal).toBe('SIGKILL');
    const midway = await phases(ids);

    second = await p.startWorker();
    await eventually(async () => (await phases(ids)).every((ph) => ph === 'Succeeded'), 120_000, 250);
    expect(midway.some((ph) => ph !== 'Succeeded')).toBe(true);

    for (const id of ids) {
      const audit = await t.viewer.get(`/v1/audit?resourceId=${id}&limit=500`);
      const items = [...audit.body.items].reverse() as Array<{
        action: string;
        data: { stepIndex?: number };
      }>;
      const steps = items.filter((a) => a.action === 'rollout.step-completed').map((a) => a.data.stepIndex);
      expect(steps, `rollout ${id}`).toEqual([0, 1, 2, 3, 4, 5]);
      expect(items.filter((a) => a.action === 'rollout.succeeded')).toHaveLength(1);
      expect(items.filter((a) => a.action === 'rollout.started')).toHaveLength(1);
      const events = (await t.viewer.get(`/v1/rollouts/${id}/events?limit=1000`)).body as Array<{
        seq: number;
      }>;
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    }
    expect((await t.viewer.get('/v1/audit/verify')).body.valid).toBe(true);
  }, 240_000);
});
