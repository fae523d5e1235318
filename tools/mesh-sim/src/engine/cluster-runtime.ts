import { MinHeap } from '../util/min-heap.util.js';
import type { Prng } from '../util/prng.util.js';
import type { PodInfo } from './engine.types.js';
import { HashRing } from './load-balancer.util.js';
import type { ClusterInfo } from './mesh-index.js';
import { UNLIMITED, type OutlierPolicy, type PoolLimits } from './traffic-policy.types.js';

class HostState {
  active = 0;
  consecutive5xx = 0;
  consecutiveGateway = 0;
  consecutiveLocal = 0;
  ejected = false;
  ejectUntil = 0;
  /** `k` of istio-semantics §2.4. */
  ejections = 0;
  unejectedAt = Number.NEGATIVE_INFINITY;
}

/** How an attempt ended, for outlier detection (§2.4 counting). */
export type OutlierResult = 'response' | 'local-connect' | 'local-timeout';

/**
 * Circuit-breaker, load-balancer and outlier state of one cluster as seen by one client proxy:
 * istio-semantics checklist "keep circuit-breaker and outlier state per client pod and per cluster".
 */
export class ClusterRuntime {
  hosts: PodInfo[] = [];
  private states: HostState[] = [];
  private readonly active = new MinHeap();
  private activeCount = 0;
  private readonly connections = new MinHeap();
  private readonly pending = new MinHeap();
  private readonly retries = new MinHeap();
  private ejectedCount = 0;
  private nextTickAt = Number.NaN;
  private rr = 0;
  private healthy: number[] | undefined;
  private ring: HashRing | undefined;
  private ringFor: number[] | undefined;

  /** Follows endpoint changes, keeping the state of hosts that stay (matched by pod uid). */
  sync(cluster: ClusterInfo): void {
    if (cluster.hosts === this.hosts) return;
    const old = new Map(this.hosts.map((h, i) => [h.uid, i]));
    const remap = new Int32Array(this.hosts.length).fill(-1);
    const states = cluster.hosts.map((h, i) => {
      const prev = old.get(h.uid);
      if (prev === undefined) return new HostState();
      remap[prev] = i;
      return this.states[prev]!;
    });
    const entries: Array<[number, number]> = [];
    while (this.active.size > 0) {
      const end = this.active.peekKey();
      entries.push([end, this.active.pop()]);
    }
    this.activeCount = 0;
    for (const s of states) s.active = 0;
    for (const [end, idx] of entries) {
      const next = remap[idx] ?? -1;
      if (next >= 0) this.track(end, next);
    }
    this.hosts = cluster.hosts;
    this.states = states;
    this.ejectedCount = states.filter((s) => s.ejected).length;
    this.invalidateHealthy();
  }

  /** Retires finished requests and runs outlier interval ticks up to `now`. */
  advance(now: number, outlier: OutlierPolicy | undefined): void {
    while (this.active.peekKey() <= now) {
      const idx = this.active.pop();
      this.states[idx]!.active--;
      this.activeCount--;
    }
    if (!outlier) {
      if (this.ejectedCount > 0) this.clearEjections();
      this.nextTickAt = Number.NaN;
      return;
    }
    if (Number.isNaN(this.nextTickAt)) this.nextTickAt = now + outlier.intervalMs;
    while (this.nextTickAt <= now) {
      this.tick(this.nextTickAt, outlier);
      this.nextTickAt += outlier.intervalMs;
    }
  }

  /**
   * §2.4: un-ejection is checked only on interval ticks and resets the host's counters; `k`
   * decreases for hosts not ejected and un-ejected at least one interval earlier.
   */
  private tick(at: number, outlier: OutlierPolicy): void {
    for (const s of this.states) {
      if (s.ejected) {
        if (at >= s.ejectUntil) {
          s.ejected = false;
          s.consecutive5xx = s.consecutiveGateway = s.consecutiveLocal = 0;
          s.unejectedAt = at;
          this.ejectedCount--;
          this.invalidateHealthy();
        }
      } else if (s.ejections > 0 && at - s.unejectedAt >= outlier.intervalMs) {
        s.ejections--;
      }
    }
  }

  private clearEjections(): void {
    for (const s of this.states) s.ejected = false;
    this.ejectedCount = 0;
    this.invalidateHealthy();
  }

  private invalidateHealthy(): void {
    this.healthy = undefined;
    this.ring = undefined;
  }

  isEjected(idx: number): boolean {
    return this.states[idx]!.ejected;
  }

  get ejected(): number {
    return this.ejectedCount;
  }

  /**
   * The hosts the load balancer may pick from; empty means 503 UH. §2.4 panic: with
   * minHealthPercent > 0 and the healthy share below it, all hosts are used again.
   */
  candidates(outlier: OutlierPolicy | undefined): number[] {
    if (!this.healthy) {
      const all = this.hosts.map((_, i) => i);
      const healthy = all.filter((i) => !this.states[i]!.ejected);
      const panic =
        outlier !== undefined &&
        outlier.minHealthPercent > 0 &&
        this.hosts.length > 0 &&
        (100 * healthy.length) / this.hosts.length < outlier.minHealthPercent;
      this.healthy = panic ? all : healthy;
    }
    return this.healthy;
  }

  /** §2.2 least request (power of two choices): the less busy of two random candidates. */
  pickLeastRequest(candidates: number[], rng: Prng): number {
    if (candidates.length === 1) return candidates[0]!;
    const a = candidates[rng.int(candidates.length)]!;
    const b = candidates[rng.int(candidates.length)]!;
    return this.states[b]!.active < this.states[a]!.active ? b : a;
  }

  pickRoundRobin(candidates: number[]): number {
    return candidates[this.rr++ % candidates.length]!;
  }

  pickHash(candidates: number[], hash: number, ringSize: number): number {
    if (!this.ring || this.ringFor !== candidates) {
      this.ring = new HashRing(
        candidates.map((i) => this.hosts[i]!.ip || this.hosts[i]!.uid),
        candidates,
        ringSize,
      );
      this.ringFor = candidates;
    }
    return this.ring.lookup(hash);
  }

  /**
   * §2.3 circuit breakers. Returns when the request can start (later than `now` when it waits as
   * pending for an HTTP/1.1 connection), or -1 for an overflow (503 UO).
   */
  admit(now: number, limits: PoolLimits, http1: boolean): number {
    if (this.activeCount >= limits.http2MaxRequests) return -1;
    if (!http1 || limits.maxConnections === UNLIMITED) return now;
    if (this.connections.size < limits.maxConnections) return now;
    const freeAt = this.connections.peekKey();
    if (freeAt <= now) {
      this.connections.pop();
      return now;
    }
    while (this.pending.peekKey() <= now) this.pending.pop();
    if (this.pending.size >= limits.http1MaxPendingRequests) return -1;
    this.connections.pop();
    this.pending.push(freeAt, 0);
    return freeAt;
  }

  /** Records an admitted request on `idx` until `end`; HTTP/1.1 holds its connection until then. */
  release(idx: number, end: number, limits: PoolLimits, http1: boolean): void {
    this.track(end, idx);
    if (http1 && limits.maxConnections !== UNLIMITED) this.connections.push(end, 0);
  }

  private track(end: number, idx: number): void {
    this.active.push(end, idx);
    this.activeCount++;
    this.states[idx]!.active++;
  }

  /** §2.3: retries beyond maxRetries in flight are skipped. */
  admitRetry(now: number, limits: PoolLimits, end: number): boolean {
    if (limits.maxRetries === UNLIMITED) return true;
    while (this.retries.peekKey() <= now) this.retries.pop();
    if (this.retries.size >= limits.maxRetries) return false;
    this.retries.push(end, 0);
    return true;
  }

  /**
   * §2.4 counting per host: any 5xx increments the 5xx counter; 502/503/504 also the gateway
   * counter (another 5xx resets it); a non-5xx resets both. Local-origin failures count as 503
   * (connect) or 504 (timeout) unless split. Reaching a threshold exactly attempts an ejection.
   */
  recordOutcome(
    idx: number,
    now: number,
    code: number,
    result: OutlierResult,
    outlier: OutlierPolicy | undefined,
  ): void {
    if (!outlier) return;
    const s = this.states[idx];
    if (!s || s.ejected) return;
    if (result !== 'response' && outlier.splitLocalOrigin) {
      s.consecutiveLocal++;
      if (s.consecutiveLocal === outlier.consecutiveLocalOrigin) {
        s.consecutiveLocal = 0;
        this.tryEject(s, now, outlier);
      }
      return;
    }
    const effective = result === 'local-connect' ? 503 : result === 'local-timeout' ? 504 : code;
    if (effective < 500) {
      s.consecutive5xx = s.consecutiveGateway = 0;
      if (result === 'response') s.consecutiveLocal = 0;
      return;
    }
    s.consecutive5xx++;
    if (effective === 502 || effective === 503 || effective === 504) s.consecutiveGateway++;
    else s.consecutiveGateway = 0;
    if (outlier.consecutive5xx > 0 && s.consecutive5xx === outlier.consecutive5xx) {
      s.consecutive5xx = 0;
      this.tryEject(s, now, outlier);
    }
    if (!s.ejected && outlier.consecutiveGateway > 0 && s.consecutiveGateway === outlier.consecutiveGateway) {
      s.consecutiveGateway = 0;
      this.tryEject(s, now, outlier);
    }
  }

  /**
   * §2.4 ejection cap: only if 100*(ejected+1)/hosts <= maxEjectionPercent. Duration
   * min(base*k, max(300s, base)) with k incremented on each ejection.
   */
  private tryEject(s: HostState, now: number, outlier: OutlierPolicy): void {
    if ((100 * (this.ejectedCount + 1)) / this.hosts.length > outlier.maxEjectionPercent) return;
    s.ejections++;
    s.ejected = true;
    s.ejectUntil =
      now + Math.min(outlier.baseEjectionMs * s.ejections, Math.max(300_000, outlier.baseEjectionMs));
    this.ejectedCount++;
    this.invalidateHealthy();
  }
}
