import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubeError } from '../errors/kube-error.util.js';
import type { KubeObject } from '../kube.types.js';
import { isOurs, scopeSelector, validateScope } from './prune-scope.util.js';

const obj = (labels: Record<string, string>): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'x', namespace: 'ns', labels },
});

describe('prune scope', () => {
  it('selects by managed-by and tenant, and service when scoped', () => {
    expect(scopeSelector({ tenant: 'acme' })).toBe(
      'app.kubernetes.io/managed-by=heliomesh,heliomesh.io/tenant=acme',
    );
    expect(scopeSelector({ tenant: 'acme', service: 'reviews' })).toBe(
      'app.kubernetes.io/managed-by=heliomesh,heliomesh.io/tenant=acme,heliomesh.io/service=reviews',
    );
  });

  it('re-checks both labels client-side, exactly', () => {
    const ours = { 'app.kubernetes.io/managed-by': 'heliomesh', 'heliomesh.io/tenant': 'acme' };
    expect(isOurs(obj(ours), { tenant: 'acme' })).toBe(true);
    expect(isOurs(obj(ours), { tenant: 'acme', service: 'reviews' })).toBe(false);
    expect(
      isOurs(obj({ ...ours, 'heliomesh.io/service': 'reviews' }), { tenant: 'acme', service: 'reviews' }),
    ).toBe(true);
    expect(isOurs(obj({ 'heliomesh.io/tenant': 'acme' }), { tenant: 'acme' })).toBe(false);
    expect(isOurs(obj({ 'app.kubernetes.io/managed-by': 'heliomesh' }), { tenant: 'acme' })).toBe(false);
    expect(isOurs(obj({ ...ours, 'heliomesh.io/tenant': 'Acme' }), { tenant: 'acme' })).toBe(false);
  });

  it('accepts a tenant only when it cannot change the selector’s meaning (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 70 }),
        fc.option(fc.string({ maxLength: 70 }), { nil: undefined }),
        (tenant, service) => {
          let ok = true;
          try {
            validateScope({ tenant, ...(service !== undefined ? { service } : {}) });
          } catch (err) {
            expect(err).toBeInstanceOf(KubeError);
            expect((err as KubeError).code).toBe('KUBE_SCOPE_INVALID');
            ok = false;
          }
          if (!ok) return;
          // An accepted scope gives one `key=value` term per label, and nothing else.
          const terms = scopeSelector({ tenant, ...(service !== undefined ? { service } : {}) }).split(',');
          expect(terms).toHaveLength(service === undefined ? 2 : 3);
          for (const t of terms) expect(t).toMatch(/^[a-z./-]+=[A-Za-z0-9][-A-Za-z0-9_.]*$/);
          expect(terms[1]).toBe(`heliomesh.io/tenant=${tenant}`);
        },
      ),
    );
  });

  it('rejects empty and malformed values with the field named', () => {
    expect(() => validateScope({ tenant: '' })).toThrow(expect.objectContaining({ path: '$.tenant' }));
    expect(() => validateScope({ tenant: 'a', service: 'x,y' })).toThrow(
      expect.objectContaining({ path: '$.service' }),
    );
    expect(() => validateScope({ tenant: 'a', namespaces: ['Bad_NS'] })).toThrow(
      expect.objectContaining({ path: '$.namespaces' }),
    );
  });
});
