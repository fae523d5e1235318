import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { istioCrds } from '../src/istio/istio-crds.js';
import { validateIstioObject } from '../src/istio/istio-validation.util.js';

const script = join(import.meta.dirname, '..', 'scripts', 'generate-istio-schemas.mjs');

describe('Istio CRDs', () => {
  it('the checked-in schemas match what @kubernetes-models/istio generates', async () => {
    const result = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [script, '--check'], { timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, out: stdout + stderr }),
      ),
    );
    expect(result.out, 'regenerate with: node tools/kube-sim/scripts/generate-istio-schemas.mjs').toContain(
      'is up to date',
    );
    expect(result.code).toBe(0);
  });

  it('declares every kind with its served versions, storage version, names and printer columns', () => {
    const crds = istioCrds();
    const byName = new Map(
      crds.map((c) => [
        (c['metadata'] as { name: string }).name,
        c as { spec: { names: Record<string, unknown>; versions: Array<Record<string, unknown>> } },
      ]),
    );
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining([
        'virtualservices.networking.istio.io',
        'destinationrules.networking.istio.io',
        'envoyfilters.networking.istio.io',
        'authorizationpolicies.security.istio.io',
        'wasmplugins.extensions.istio.io',
        'telemetries.telemetry.istio.io',
      ]),
    );
    const vs = byName.get('virtualservices.networking.istio.io')!;
    expect(vs.spec.names).toMatchObject({
      kind: 'VirtualService',
      shortNames: ['vs'],
      categories: ['istio-io', 'networking-istio-io'],
    });
    expect(vs.spec.versions.map((v) => `${String(v['name'])}${v['storage'] ? '*' : ''}`)).toEqual([
      'v1',
      'v1beta1',
      'v1alpha3*',
    ]);
    expect(
      (vs.spec.versions[0]!['additionalPrinterColumns'] as Array<{ name: string }>).map((c) => c.name),
    ).toEqual(['Gateways', 'Hosts', 'Age']);
    const spec = (
      vs.spec.versions[0]!['schema'] as {
        openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } };
      }
    ).openAPIV3Schema.properties.spec.properties;
    expect(Object.keys(spec)).toEqual(['exportTo', 'gateways', 'hosts', 'http', 'tcp', 'tls']);
    expect(byName.get('envoyfilters.networking.istio.io')!.spec.versions.map((v) => v['name'])).toEqual([
      'v1alpha3',
    ]);
  });

  it('validates objects with the precompiled Istio validators; unknown kinds are not its business', () => {
    const dr = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'd' },
      spec: { host: 'r', trafficPolicy: { loadBalancer: { simple: 'FASTEST' } } },
    };
    const errors = validateIstioObject(dr, 'networking.istio.io/v1')!;
    expect(errors.map((e) => e.field)).toContain('spec.trafficPolicy.loadBalancer.simple');
    expect(validateIstioObject({ ...dr, spec: { host: 'r' } }, 'networking.istio.io/v1')).toEqual([]);
    expect(validateIstioObject({ kind: 'Widget' }, 'example.com/v1')).toBeUndefined();
  });
});
