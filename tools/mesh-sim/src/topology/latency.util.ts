import { assertUnreachable } from '@heliomesh/util';
import type { Prng } from '../util/prng.util.js';
import type { LatencyInput, LatencySpec } from './topology.schema.js';

/** z-score of the 99th percentile of a standard normal, to fit a lognormal from p50 and p99. */
const Z99 = 2.3263478740408408;

export function normalizeLatency(input: LatencyInput): LatencySpec {
  return typeof input === 'number' ? { distribution: 'fixed', value: input } : input;
}

/**
 * Draws one latency in milliseconds. Lognormal is parameterised by its median and p99, which is
 * how people describe service latency; sigma = ln(p99/p50) / z99.
 */
export function sampleLatency(spec: LatencySpec, rng: Prng): number {
  switch (spec.distribution) {
    case 'fixed':
      return spec.value;
    case 'uniform':
      return spec.min + (spec.max - spec.min) * rng.next();
    case 'exponential':
      return -spec.mean * Math.log(1 - rng.next());
    case 'lognormal': {
      const sigma = Math.log(Math.max(spec.p99, spec.p50) / spec.p50) / Z99;
      return spec.p50 * Math.exp(sigma * rng.normal());
    }
    default:
      return assertUnreachable(spec, 'latency distribution');
  }
}
