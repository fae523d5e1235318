import { describe, expect, it } from 'vitest';
import { peerAuthenticationSpecSchema } from '../config/security.schema.js';
import type { PodInfo } from './engine.types.js';
import { compilePeerAuthentication, effectiveMtls } from './peer-authentication.util.js';

const pod = { namespace: 'shop', labels: { app: 'reviews' } } as unknown as PodInfo;
let n = 0;
const pa = (namespace: string, spec: object) =>
  compilePeerAuthentication(peerAuthenticationSpecSchema.parse(spec), {
    name: `pa${++n}`,
    namespace,
    createdMs: n,
  });

describe('PeerAuthentication precedence (istio-semantics §3)', () => {
  it('defaults to PERMISSIVE', () => {
    expect(effectiveMtls([], pod, 9080, 'istio-system')).toBe('PERMISSIVE');
  });

  it('workload selector > namespace > root namespace, with UNSET inheriting', () => {
    const root = pa('istio-system', { mtls: { mode: 'STRICT' } });
    const ns = pa('shop', { mtls: { mode: 'DISABLE' } });
    const workload = pa('shop', {
      selector: { matchLabels: { app: 'reviews' } },
      mtls: { mode: 'UNSET' },
      portLevelMtls: { '9080': { mode: 'PERMISSIVE' } },
    });
    expect(effectiveMtls([root], pod, 9080, 'istio-system')).toBe('STRICT');
    expect(effectiveMtls([root, ns], pod, 9080, 'istio-system')).toBe('DISABLE');
    expect(effectiveMtls([root, ns, workload], pod, 9080, 'istio-system')).toBe('PERMISSIVE');
    expect(effectiveMtls([root, ns, workload], pod, 8080, 'istio-system')).toBe('DISABLE');
  });

  it('ignores namespace-wide policies of other namespaces and non-matching selectors', () => {
    const other = pa('other', { mtls: { mode: 'STRICT' } });
    const otherApp = pa('shop', { selector: { matchLabels: { app: 'ratings' } }, mtls: { mode: 'STRICT' } });
    expect(effectiveMtls([other, otherApp], pod, 9080, 'istio-system')).toBe('PERMISSIVE');
  });
});
