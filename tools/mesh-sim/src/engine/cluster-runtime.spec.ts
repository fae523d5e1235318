import { describe, expect, it } from 'vitest';
import { Prng } from '../util/prng.util.js';
import { ClusterRuntime } from './cluster-runtime.js';
import type { PodInfo } from './engine.types.js';
import type { ClusterInfo } from './mesh-index.js';
import { UNLIMITED, type OutlierPolicy, type PoolLimits } from './traffic-policy.types.js';

function cluster(n: number): ClusterInfo {
  const hosts = Array.from({ length: n }, (_, i) => ({ uid: `pod-${i}`, ip: `10.0.0.${i + 1}` }) as PodInfo);
  return { hosts } as ClusterInfo;
}

const outlier = (over: Partial<OutlierPolicy> = {}): OutlierPolicy => ({
  consecutive5xx: 5,
  consecutiveGateway: 0,
  consecutiveLocalOrigin: 5,
  splitLocalOrigin: false,
  intervalMs: 10_000,
  baseEjectionMs: 30_000,
  maxEjectionPercent: 10,
  minHealthPercent: 0,
  ...over,
});

function fail(
  rt: ClusterRuntime,
  idx: number,
  times: number,
  at: number,
  od: OutlierPolicy,
  code = 500,
): void {
  for (let i = 0; i < times; i++) rt.recordOutcome(idx, at, code, 'response', od);
}

describe('outlier detection (istio-semantics §2.4)', () => {
  it('never ejects in clusters under 10 hosts with the default 10 % cap', () => {
    const rt = new ClusterRuntime();
    rt.sync(cluster(9));
    fail(rt, 0, 50, 0, outlier());
    expect(rt.ejected).toBe(0);
    const big = new ClusterRuntime();
    big.sync(cluster(10));
    fail(big, 0, 5, 0, outlier());
    expect(big.ejected).toBe(1);
    fail(big, 1, 5, 0, outlier());
    expect(big.ejected).toBe(1);
  });

  it('ejects on exactly the threshold and a success resets the count', () => {
    const od = outlier({ maxEjectionPercent: 100 });
    const rt = new ClusterRuntime();
    rt.sync(cluster(2));
    fail(rt, 0, 4, 0, od);
    rt.recordOutcome(0, 0, 200, 'response', od);
    fail(rt, 0, 4, 0, od);
    expect(rt.isEjected(0)).toBe(false);
    fail(rt, 0, 1, 0, od);
    expect(rt.isEjected(0)).toBe(true);
    expect(rt.candidates(od)).toEqual([1]);
  });

  it('counts gateway errors only for 502/503/504 and resets them on another 5xx', () => {
    const od = outlier({ consecutive5xx: 0, consecutiveGateway: 3, maxEjectionPercent: 100 });
    const rt = new ClusterRuntime();
    rt.sync(cluster(2));
    fail(rt, 0, 2, 0, od, 503);
    fail(rt, 0, 1, 0, od, 500);
    fail(rt, 0, 2, 0, od, 502);
    expect(rt.isEjected(0)).toBe(false);
    fail(rt, 0, 1, 0, od, 504);
    expect(rt.isEjected(0)).toBe(true);
  });

  it('un-ejects only on interval ticks, after min(base·k, max(300 s, base))', () => {
    const od = outlier({ maxEjectionPercent: 100, intervalMs: 10_000, baseEjectionMs: 30_000 });
    const rt = new ClusterRuntime();
    rt.sync(cluster(2));
    rt.advance(0, od); // first tick at 10 s
    fail(rt, 0, 5, 1_000, od);
    rt.advance(30_999, od);
    expect(rt.isEjected(0)).toBe(true);
    rt.advance(39_999, od);
    expect(rt.isEjected(0)).toBe(true); // expired at 31 s but ticks fall at 10, 20, 30, 40 s
    rt.advance(40_000, od);
    expect(rt.isEjected(0)).toBe(false);
    // Ejected again straight away: k = 2, so 60 s (ticks: released at 110 s).
    fail(rt, 0, 5, 40_500, od);
    rt.advance(100_000, od);
    expect(rt.isEjected(0)).toBe(true);
    rt.advance(110_000, od);
    expect(rt.isEjected(0)).toBe(false);
  });

  it('caps the ejection time at max(300 s, base) and decays k while healthy', () => {
    const od = outlier({ maxEjectionPercent: 100, intervalMs: 1_000, baseEjectionMs: 100_000 });
    const rt = new ClusterRuntime();
    rt.sync(cluster(2));
    rt.advance(0, od);
    let t = 0;
    const ejectFor = (): number => {
      fail(rt, 0, 5, t, od);
      const start = t;
      while (rt.isEjected(0)) rt.advance((t += 1_000), od);
      return t - start;
    };
    expect(ejectFor()).toBe(100_000);
    expect(ejectFor()).toBe(200_000);
    expect(ejectFor()).toBe(300_000); // min(300 s, max(300 s, 100 s))
    expect(ejectFor()).toBe(300_000);
    rt.advance((t += 3_000), od); // k decays by one per healthy interval
    expect(ejectFor()).toBe(200_000);
  });

  it('answers no candidate when all hosts are ejected, and panics under minHealthPercent', () => {
    const od = outlier({ maxEjectionPercent: 100 });
    const rt = new ClusterRuntime();
    rt.sync(cluster(2));
    fail(rt, 0, 5, 0, od);
    fail(rt, 1, 5, 0, od);
    expect(rt.candidates(od)).toEqual([]);
    const panic = outlier({ maxEjectionPercent: 100, minHealthPercent: 60 });
    const rt2 = new ClusterRuntime();
    rt2.sync(cluster(2));
    fail(rt2, 0, 5, 0, panic);
    expect(rt2.candidates(panic)).toEqual([0, 1]);
  });

  it('keeps host state across endpoint changes by pod uid', () => {
    const od = outlier({ maxEjectionPercent: 100 });
    const rt = new ClusterRuntime();
    const c = cluster(3);
    rt.sync(c);
    fail(rt, 2, 5, 0, od);
    rt.sync({ hosts: [c.hosts[2]!, c.hosts[0]!] } as ClusterInfo);
    expect(rt.isEjected(0)).toBe(true);
    expect(rt.isEjected(1)).toBe(false);
  });
});

describe('circuit breakers (§2.3)', () => {
  const limits = (over: Partial<PoolLimits>): PoolLimits => ({
    maxConnections: UNLIMITED,
    http1MaxPendingRequests: UNLIMITED,
    http2MaxRequests: UNLIMITED,
    maxRetries: UNLIMITED,
    ...over,
  });

  it('overflows when active requests reach http2MaxRequests', () => {
    const rt = new ClusterRuntime();
    rt.sync(cluster(1));
    const l = limits({ http2MaxRequests: 1 });
    expect(rt.admit(0, l, false)).toBe(0);
    rt.release(0, 100, l, false);
    rt.advance(50, undefined);
    expect(rt.admit(50, l, false)).toBe(-1);
    rt.advance(100, undefined);
    expect(rt.admit(100, l, false)).toBe(100);
  });

  it('queues HTTP/1.1 requests as pending up to http1MaxPendingRequests', () => {
    const rt = new ClusterRuntime();
    rt.sync(cluster(1));
    const l = limits({ maxConnections: 1, http1MaxPendingRequests: 1 });
    expect(rt.admit(0, l, true)).toBe(0);
    rt.release(0, 100, l, true);
    expect(rt.admit(10, l, true)).toBe(100); // waits for the connection
    rt.release(0, 150, l, true);
    expect(rt.admit(20, l, true)).toBe(-1); // pending queue full: 503 UO
    expect(rt.admit(160, l, true)).toBe(160);
  });

  it('skips retries beyond maxRetries in flight', () => {
    const rt = new ClusterRuntime();
    rt.sync(cluster(1));
    const l = limits({ maxRetries: 1 });
    expect(rt.admitRetry(0, l, 100)).toBe(true);
    expect(rt.admitRetry(50, l, 150)).toBe(false);
    expect(rt.admitRetry(100, l, 200)).toBe(true);
  });
});

describe('load balancing (§2.2)', () => {
  it('least request prefers the less busy of two random hosts', () => {
    const rt = new ClusterRuntime();
    rt.sync(cluster(2));
    const l = {
      maxConnections: UNLIMITED,
      http1MaxPendingRequests: UNLIMITED,
      http2MaxRequests: UNLIMITED,
      maxRetries: UNLIMITED,
    };
    for (let i = 0; i < 10; i++) rt.release(0, 1_000, l, false);
    const rng = new Prng(1);
    const picks = Array.from({ length: 1000 }, () => rt.pickLeastRequest([0, 1], rng));
    // Host 0 is picked only when both draws land on it (1/4).
    expect(picks.filter((p) => p === 0).length / 1000).toBeCloseTo(0.25, 1);
  });

  it('hashes the same key to the same host while the host set is stable', () => {
    const rt = new ClusterRuntime();
    rt.sync(cluster(5));
    const candidates = rt.candidates(undefined);
    const first = rt.pickHash(candidates, 12345, 1024);
    for (let i = 0; i < 10; i++) expect(rt.pickHash(candidates, 12345, 1024)).toBe(first);
  });
});
