import type { PolicyBody } from '@heliomesh/policy';
import { HeliomeshError } from '@heliomesh/util';
import type { ApiClient } from '../api/api-client.service.js';
import type { PolicyView } from '../api/api.types.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';

const POLL_MS = 500;

/** Waits until the worker has applied each policy's current revision to the cluster, or reported an error. */
export async function waitApplied(
  rt: CliRuntime,
  api: ApiClient,
  policies: readonly PolicyBody[],
  timeoutMs: number,
): Promise<void> {
  if (!policies.length) return;
  const deadline = rt.io.now() + timeoutMs;
  const namespaces = [...new Set(policies.map((p) => p.target.namespace))];
  const wanted = new Set(policies.map((p) => `${p.target.namespace}/${p.name}`));
  for (;;) {
    const views = (
      await Promise.all(namespaces.map((ns) => api.list<PolicyView>('/v1/policies', { namespace: ns })))
    ).flat();
    const mine = views.filter((v) => wanted.has(`${v.namespace}/${v.name}`));
    const failed = mine.filter((v) => v.status.phase === 'Error');
    const pending = mine.filter(
      (v) => !(v.status.phase === 'Applied' && v.status.appliedRevision === v.revision),
    );
    if (failed.length) {
      for (const v of failed)
        rt.out(
          rt.p.red(`${v.kind} ${v.namespace}/${v.name}: Error ${JSON.stringify(v.status.reason ?? {})}`),
        );
      throw new HeliomeshError({
        code: 'APPLY_FAILED',
        status: 422,
        message: `${failed.length} polic${failed.length === 1 ? 'y' : 'ies'} could not be applied to the cluster; \`heliomesh describe policy NAME\` shows why.`,
      });
    }
    if (!pending.length) {
      rt.out(rt.p.green(`${mine.length} polic${mine.length === 1 ? 'y' : 'ies'} applied to the cluster.`));
      return;
    }
    if (rt.io.now() > deadline)
      throw new HeliomeshError({
        code: 'WAIT_TIMEOUT',
        status: 408,
        message: `Still not applied after ${Math.round(timeoutMs / 1000)} s: ${pending.map((v) => `${v.namespace}/${v.name}`).join(', ')}. Is the rollout worker running? (GET /readyz of each service)`,
      });
    await rt.io.sleep(POLL_MS);
  }
}
