import type { ApplyResult, DryRunResult } from '../api/api.types.js';
import type { SourcedPolicy } from '../files/policy-sources.util.js';
import { colourDiff } from '../io/diff.util.js';
import type { Palette } from '../io/palette.util.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';

/** kubectl-style lines in bundle order (`Kind namespace/name created`), then the pruned ones and the dry-run diff. */
export function printApply(
  rt: CliRuntime,
  result: ApplyResult,
  sourced: readonly SourcedPolicy[],
  dryRun: boolean,
): void {
  const p = rt.p;
  const suffix = dryRun ? ' (dry run)' : '';
  const verb = (id: string): [string, (s: string) => string] | undefined => {
    if (result.created.includes(id)) return ['created', p.green];
    if (result.configured.includes(id)) return ['configured', p.yellow];
    if (result.unchanged.includes(id)) return ['unchanged', p.dim];
    return undefined;
  };
  for (const { policy } of sourced) {
    const id = `${policy.target.namespace}/${policy.name}`;
    const v = verb(id);
    if (v) rt.out(v[1](`${policy.kind} ${id} ${v[0]}${v[0] === 'unchanged' ? '' : suffix}`));
  }
  for (const id of result.deleted) rt.out(p.red(`policy ${id} deleted (pruned)${suffix}`));
  for (const id of result.retained ?? [])
    rt.out(p.dim(`policy ${id} kept (written by the platform, e.g. a rollout's release pin)`));
  if (dryRun) printDryRun(rt, result.dryRun, p);
}

export function printDryRun(rt: CliRuntime, dry: DryRunResult | undefined, p: Palette): void {
  if (!dry || !dry.diff) {
    rt.out(p.dim('No changes to the generated Istio objects.'));
    return;
  }
  for (const f of dry.findings.filter((x) => x.severity !== 'info'))
    rt.out(p.yellow(`${f.code} ${f.severity}: ${f.message}${f.host ? ` (${f.host})` : ''}`));
  rt.out(colourDiff(dry.diff, p));
}
