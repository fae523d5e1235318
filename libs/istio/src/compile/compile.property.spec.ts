import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corruptionArb, permutationOf, validSnapshotArb } from '../../test/support/snapshot.arbitraries.js';
import { compile, istioSchemaErrors, toYaml, type CompileSnapshot, type VirtualService } from '../index.js';

const RUNS = { numRuns: 150 };

const errorsOf = (snap: CompileSnapshot) => compile(snap).findings.filter((f) => f.severity === 'error');

describe('compile (property)', () => {
  it('compiles every valid snapshot without an error, to objects that pass Istio schema validation', () => {
    fc.assert(
      fc.property(validSnapshotArb, (snap) => {
        const result = compile(snap);
        expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
        for (const object of result.objects) expect(istioSchemaErrors(object)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('emits exactly one VirtualService and one DestinationRule per service host', () => {
    fc.assert(
      fc.property(validSnapshotArb, (snap) => {
        const result = compile(snap);
        for (const kind of ['VirtualService', 'DestinationRule'] as const) {
          const hosts = result.objects
            .filter((o) => o.kind === kind)
            .map((o) =>
              o.kind === 'VirtualService' ? o.spec.hosts[0] : o.kind === 'DestinationRule' ? o.spec.host : '',
            );
          expect([...hosts].sort()).toEqual([...result.hosts.keys()].sort());
        }
        expect(result.hosts.size).toBe(snap.services.length);
      }),
      RUNS,
    );
  });

  it('gives byte-identical YAML for the same snapshot in any input order', () => {
    const withShuffles = validSnapshotArb.chain((snap) =>
      fc.tuple(
        fc.constant(snap),
        permutationOf(snap.services),
        permutationOf(snap.policies),
        permutationOf(snap.rollouts ?? []),
      ),
    );
    fc.assert(
      fc.property(withShuffles, ([snap, services, policies, rollouts]) => {
        const shuffled = { ...snap, services, policies, rollouts };
        expect(toYaml(compile(shuffled).objects)).toBe(toYaml(compile(snap).objects));
        expect(compile(shuffled).findings).toEqual(compile(snap).findings);
      }),
      RUNS,
    );
  });

  it('makes the weights of every route whole numbers summing to 100', () => {
    fc.assert(
      fc.property(validSnapshotArb, (snap) => {
        for (const object of compile(snap).objects) {
          if (object.kind !== 'VirtualService') continue;
          for (const route of (object as VirtualService).spec.http) {
            if (!route.route) continue;
            expect(route.route.every((d) => Number.isInteger(d.weight) && d.weight >= 0)).toBe(true);
            expect(route.route.reduce((a, d) => a + d.weight, 0)).toBe(100);
          }
        }
      }),
      RUNS,
    );
  });

  it('explains every generated route with the policy or rollout that exists in the snapshot', () => {
    fc.assert(
      fc.property(validSnapshotArb, (snap) => {
        const ids = new Set(snap.policies.map((p) => p.id));
        const rollouts = new Set((snap.rollouts ?? []).map((r) => r.rolloutId));
        for (const host of compile(snap).hosts.values())
          for (const entry of host.explain) {
            if (entry.source === 'policy') expect(ids.has(entry.policyId!)).toBe(true);
            if (entry.source === 'rollout') expect(rollouts.has(entry.rolloutId!)).toBe(true);
          }
      }),
      RUNS,
    );
  });

  it('answers any invalid policy with an error finding naming it, never an exception', () => {
    const arb = validSnapshotArb
      .filter((snap) => snap.policies.length > 0)
      .chain((snap) => fc.tuple(fc.constant(snap), fc.nat({ max: snap.policies.length - 1 }), corruptionArb));
    fc.assert(
      fc.property(arb, ([snap, i, corrupt]) => {
        const bad = corrupt(snap.policies[i]!);
        const policies = snap.policies.map((p, j) => (j === i ? bad : p));
        const errors = errorsOf({ ...snap, policies });
        expect(errors.map((f) => f.code)).not.toContain('HM0000');
        expect(errors.some((f) => f.policyIds?.includes(bad.id))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary garbage in place of policies', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (garbage, more) => {
        const snap = {
          tenant: { id: 't', name: 'acme' },
          services: [],
          policies: [garbage, more],
        } as unknown as CompileSnapshot;
        const result = compile(snap);
        expect(result.findings.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
