import { parseDuration, type StoredPolicy } from '@heliomesh/policy';
import { assertUnreachable, type JsonPath } from '@heliomesh/util';
import { at, defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

/** Every duration a policy can hold, with whether 0 is meaningful (a session cookie). */
function durations(
  p: StoredPolicy,
): Array<{ path: JsonPath; value: string | undefined; zeroAllowed?: boolean }> {
  switch (p.kind) {
    case 'Timeout':
      return [{ path: ['spec', 'timeout'], value: p.spec.timeout }];
    case 'Retry':
      return [{ path: ['spec', 'perTryTimeout'], value: p.spec.perTryTimeout }];
    case 'FaultInjection':
      return [{ path: ['spec', 'delay', 'fixedDelay'], value: p.spec.delay?.fixedDelay }];
    case 'TrafficSplit':
      return [{ path: ['spec', 'sticky', 'cookie', 'ttl'], value: p.spec.sticky?.cookie?.ttl }];
    case 'LoadBalancer':
      return [
        {
          path: ['spec', 'consistentHash', 'httpCookie', 'ttl'],
          value: p.spec.consistentHash?.httpCookie?.ttl,
          zeroAllowed: true,
        },
      ];
    case 'CircuitBreaker': {
      const { connectionPool: cp, outlierDetection: od } = p.spec;
      return [
        { path: ['spec', 'connectionPool', 'tcp', 'connectTimeout'], value: cp?.tcp?.connectTimeout },
        { path: ['spec', 'connectionPool', 'http', 'idleTimeout'], value: cp?.http?.idleTimeout },
        { path: ['spec', 'outlierDetection', 'interval'], value: od?.interval },
        { path: ['spec', 'outlierDetection', 'baseEjectionTime'], value: od?.baseEjectionTime },
      ];
    }
    case 'RequestRouting':
    case 'TrafficMirror':
    case 'RateLimit':
    case 'AccessControl':
    case 'Plugin':
    case 'HeaderPolicy':
      return [];
    default:
      return assertUnreachable(p, 'policy kind');
  }
}

export const durationChecker = defineChecker(
  {
    code: 'HM1017',
    severity: 'error',
    area: 'routing',
    title: 'Duration below 1 ms or finer than 1 ms',
    meaning: 'Istio durations must be at least 1 ms and whole milliseconds (e.g. 1.5ms is rejected).',
  },
  ({ policies }) => {
    const out: FindingDraft[] = [];
    for (const p of policies)
      for (const { path, value, zeroAllowed } of durations(p)) {
        if (value === undefined) continue;
        const ms = parseDuration(value);
        if (ms === undefined) continue;
        if (ms === 0 && zeroAllowed) continue;
        if (ms < 1) out.push(at(p, path, `duration "${value}" is below 1ms`));
        else if (!Number.isInteger(ms))
          out.push(at(p, path, `duration "${value}" is finer than a millisecond`));
      }
    return out;
  },
);
