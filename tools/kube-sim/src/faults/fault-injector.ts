import type { ResourceType } from '../registry/resource-type.types.js';

/** Fractions (0..1) of API requests that answer 429, answer 500, or hang until the client gives up. */
export interface FaultRates {
  429?: number;
  500?: number;
  timeout?: number;
}

export interface FaultConfig extends FaultRates {
  /** Seed of the fault dice, for reproducible runs (default: random). */
  seed?: number;
  /** Retry-After seconds sent with 429 (default 1). */
  retryAfterSeconds?: number;
  /** Also fail /version, /healthz, discovery and /openapi (default false: clients need them to start). */
  includeDiscovery?: boolean;
}

/** Runtime control of fault injection (returned by startKubeSim as `faults`). */
export interface FaultControl {
  setRates(rates: FaultRates): void;
  /** The next update (PUT, PATCH or apply) of this object answers 409 Conflict. `kind` is the Kind or plural. */
  failNextUpdate(kind: string, namespace: string, name: string): void;
  /** Clears rates and pending failures. */
  clear(): void;
  /** How many faults were injected so far, by type. */
  injected(): { 429: number; 500: number; timeout: number; conflict: number };
}

export type FaultDecision = '429' | '500' | 'timeout' | undefined;

/** A small seeded PRNG (mulberry32) so a seed reproduces the same fault pattern. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses the CLI form `429=0.1,500=0.05,timeout=0.02[,seed=7]`. */
export function parseFaultSpec(spec: string): FaultConfig {
  const out: FaultConfig = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, value] = part.split('=');
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n))
      throw new Error(`--faults: "${part}" is not KEY=NUMBER (keys: 429, 500, timeout, seed)`);
    switch (key) {
      case '429':
      case '500':
      case 'timeout':
        if (n < 0 || n > 1) throw new Error(`--faults: rate ${key}=${value} must be between 0 and 1`);
        out[key] = n;
        break;
      case 'seed':
        out.seed = n;
        break;
      default:
        throw new Error(`--faults: unknown key "${key}" (keys: 429, 500, timeout, seed)`);
    }
  }
  return out;
}

export class FaultInjector implements FaultControl {
  private rates: FaultRates;
  private random: () => number;
  private readonly pending = new Map<string, number>();
  private readonly counts = { 429: 0, 500: 0, timeout: 0, conflict: 0 };
  readonly retryAfterSeconds: number;
  readonly includeDiscovery: boolean;

  constructor(config: FaultConfig = {}) {
    this.includeDiscovery = config.includeDiscovery ?? false;
    this.rates = { 429: config[429] ?? 0, 500: config[500] ?? 0, timeout: config.timeout ?? 0 };
    this.random = mulberry32(config.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.retryAfterSeconds = config.retryAfterSeconds ?? 1;
  }

  setRates(rates: FaultRates): void {
    this.rates = { 429: rates[429] ?? 0, 500: rates[500] ?? 0, timeout: rates.timeout ?? 0 };
  }

  failNextUpdate(kind: string, namespace: string, name: string): void {
    const key = `${kind.toLowerCase()}|${namespace}|${name}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  clear(): void {
    this.rates = {};
    this.pending.clear();
  }

  injected(): { 429: number; 500: number; timeout: number; conflict: number } {
    return { ...this.counts };
  }

  /** Rolls the dice for one API request. */
  decide(): FaultDecision {
    const r429 = this.rates[429] ?? 0;
    const r500 = this.rates[500] ?? 0;
    const rTimeout = this.rates.timeout ?? 0;
    if (r429 + r500 + rTimeout === 0) return undefined;
    const roll = this.random();
    if (roll < r429) return this.count('429');
    if (roll < r429 + r500) return this.count('500');
    if (roll < r429 + r500 + rTimeout) return this.count('timeout');
    return undefined;
  }

  private count(d: '429' | '500' | 'timeout'): FaultDecision {
    this.counts[d === 'timeout' ? 'timeout' : d === '429' ? 429 : 500]++;
    return d;
  }

  takeFailNextUpdate(rt: ResourceType, namespace: string, name: string): boolean {
    for (const kind of [rt.kind.toLowerCase(), rt.plural]) {
      const key = `${kind}|${namespace}|${name}`;
      const n = this.pending.get(key);
      if (!n) continue;
      if (n <= 1) this.pending.delete(key);
      else this.pending.set(key, n - 1);
      this.counts.conflict++;
      return true;
    }
    return false;
  }
}
