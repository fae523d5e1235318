import { compile, type CompileResult } from '@heliomesh/istio';
import { policyBuilders as p } from '@heliomesh/policy';

/**
 * Compiles a small mesh once, at start. The first compile in a process pays for JIT, the RE2
 * module and the Istio schema validators (hundreds of ms); paying it at boot keeps the first
 * real write and the first reconcile as fast as the rest.
 */
export function warmUpCompiler(): CompileResult {
  const service = (name: string) => ({
    name,
    namespace: 'warm-up',
    ports: [{ name: 'http', port: 8080 }],
    versions: ['v1', 'v2'].map((v) => ({ name: v, labels: { app: name, version: v }, pods: 1 })),
  });
  const target = { namespace: 'warm-up', service: 'a' };
  return compile({
    tenant: { id: 'warm-up', name: 'warm-up' },
    services: [service('a'), service('b')],
    policies: [
      p.trafficSplit({ v1: 90, v2: 10 }, { id: 'p1', target }),
      p.headerRoute('x-user', 'beta', 'v2', { id: 'p2', target: { namespace: 'warm-up', service: 'b' } }),
      p.retry({ attempts: 2, perTryTimeout: '1s', retryOn: ['5xx'] }, { id: 'p3', target }),
      p.rateLimit({ requests: 10, unit: 'second', burst: 20 }, { id: 'p4', target }),
      p.accessControl({ action: 'DENY', from: { ipBlocks: ['10.0.0.0/8'] } }, { id: 'p5', target }),
    ],
  });
}
