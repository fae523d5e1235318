import { describe, expect, it } from 'vitest';
import { MANAGED_BY_LABEL, type ClusterTarget, type KubeObject, type ObjectRef } from '../../src/index.js';
import { destinationRule, virtualService } from './sandbox.js';

/** What a contract run needs besides the target: a fresh namespace and writes by "someone else". */
export interface TargetHarness {
  target: ClusterTarget;
  namespace(prefix: string): Promise<string>;
  /** Writes an object as another tool would (replacing whatever is there). */
  foreignPut(obj: KubeObject): Promise<void>;
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
}

const acme = { tenant: 'acme', service: 'reviews' };
const ref = (o: KubeObject): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  namespace: o.metadata.namespace!,
  name: o.metadata.name,
});

/**
 * The behaviour every ClusterTarget shares, run against the real one (kube-sim) and the fake, so
 * the fake cannot drift from what production does.
 */
export function clusterTargetContract(name: string, harness: () => TargetHarness): void {
  describe(`ClusterTarget contract: ${name}`, () => {
    it('creates, leaves unchanged, configures what changed', async () => {
      const h = harness();
      const ns = await h.namespace('contract');
      const set = [virtualService(ns, 'a', acme, 90), destinationRule(ns, 'a', acme)];
      expect((await h.target.applyAll(set)).results.map((r) => r.outcome)).toEqual(['created', 'created']);
      expect((await h.target.applyAll(set)).results.map((r) => r.outcome)).toEqual([
        'unchanged',
        'unchanged',
      ]);
      const changed = [virtualService(ns, 'a', acme, 10), destinationRule(ns, 'a', acme)];
      expect((await h.target.applyAll(changed)).results.map((r) => r.outcome)).toEqual([
        'configured',
        'unchanged',
      ]);
    });

    it('repairs an object someone edited, and leaves objects that are not ours alone', async () => {
      const h = harness();
      const ns = await h.namespace('contract');
      const vs = virtualService(ns, 'a', acme);
      await h.target.applyAll([vs]);
      const live = (await h.get(ref(vs)))!;
      await h.foreignPut({ ...live, spec: { hosts: ['edited'] } });
      expect((await h.target.applyAll([vs])).results[0]!.outcome).toBe('configured');
      expect((await h.get(ref(vs)))!['spec']).toEqual(vs['spec']);

      const theirs = virtualService(ns, 'theirs');
      await h.foreignPut(theirs);
      const report = await h.target.applyAll([virtualService(ns, 'theirs', acme)]);
      expect(report.results[0]!.error?.code).toBe('KUBE_FOREIGN_OBJECT');
      expect((await h.get(ref(theirs)))!.metadata.labels?.[MANAGED_BY_LABEL]).toBeUndefined();
    });

    it('prunes only our undesired objects of the tenant, and plans without writing', async () => {
      const h = harness();
      const ns = await h.namespace('contract');
      await h.target.applyAll([
        virtualService(ns, 'keep', acme),
        virtualService(ns, 'stale', acme),
        virtualService(ns, 'globex', { tenant: 'globex' }),
      ]);
      await h.foreignPut(virtualService(ns, 'foreign'));
      const dry = await h.target.prune(
        { tenant: 'acme', namespaces: [ns] },
        [virtualService(ns, 'keep', acme)],
        { dryRun: true },
      );
      expect(dry.deleted.map((r) => r.name)).toEqual(['stale']);
      expect(await h.get(ref(virtualService(ns, 'stale')))).toBeDefined();
      const done = await h.target.prune({ tenant: 'acme', namespaces: [ns] }, [
        virtualService(ns, 'keep', acme),
      ]);
      expect(done.deleted.map((r) => r.name)).toEqual(['stale']);
      expect(done.kept).toBe(1);
      for (const left of ['keep', 'globex', 'foreign'])
        expect(await h.get(ref(virtualService(ns, left)))).toBeDefined();
      expect(await h.get(ref(virtualService(ns, 'stale')))).toBeUndefined();

      const plan = await h.target.plan([
        virtualService(ns, 'keep', acme),
        virtualService(ns, 'keep2', acme),
        virtualService(ns, 'foreign', acme),
      ]);
      expect(plan.map((p) => p.action)).toEqual(['none', 'create', 'error']);
      expect(await h.get(ref(virtualService(ns, 'keep2')))).toBeUndefined();
    });
  });
}
