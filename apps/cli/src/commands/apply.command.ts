import { type Command, Option } from 'commander';
import { formatPolicyDocuments } from '@heliomesh/policy';
import { HeliomeshError } from '@heliomesh/util';
import type { ApplyResult, DryRunResult, PolicyView } from '../api/api.types.js';
import { readSources } from '../files/manifest-files.util.js';
import {
  findingLine,
  type ParsedSources,
  parseSources,
  type SourcedPolicy,
} from '../files/policy-sources.util.js';
import { colourDiff } from '../io/diff.util.js';
import { formatData, type OutputFormat, parseOutputFormat } from '../io/output.util.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';
import { printApply } from './apply-output.util.js';
import { parseDuration } from './rollout.command.js';
import { waitApplied } from './wait-applied.util.js';

interface FileFlags {
  filename: string[];
  recursive?: boolean;
  reason?: string;
}

interface ApplyFlags extends FileFlags {
  prune?: boolean;
  dryRun?: boolean;
  wait?: boolean;
  timeout: number;
  output: OutputFormat;
}

interface DeleteFlags extends FileFlags {
  dryRun?: boolean;
  ignoreNotFound?: boolean;
}

export function applyCommands(program: Command, rt: CliRuntime): void {
  program
    .command('apply')
    .summary('make the stored policies match files (created/configured/unchanged; --prune, --dry-run)')
    .description(
      'Applies Heliomesh policy documents (apiVersion: heliomesh.io/v1alpha1) like kubectl apply: each policy is ' +
        'created, configured or left unchanged, and the bundle commits as a whole or not at all. --prune deletes ' +
        "the tenant's policies the files do not contain; --dry-run stores nothing and shows the diff of the " +
        'generated Istio objects.',
    )
    .requiredOption('-f, --filename <path...>', 'policy file(s) or directories; - for stdin')
    .option('-R, --recursive', 'read directories recursively')
    .option('--prune', "delete the tenant's policies that the files do not contain")
    .option('--dry-run', 'change nothing; show what would change and the diff of the Istio objects')
    .option('--wait', 'wait until the cluster runs the applied policies')
    .addOption(
      new Option('--timeout <duration>', 'with --wait: how long')
        .argParser(parseDuration)
        .default(60_000, '60s'),
    )
    .option('--reason <text>', 'why (recorded in the audit log)')
    .addOption(
      new Option('-o, --output <format>', 'table, json or yaml')
        .argParser(parseOutputFormat)
        .default('table'),
    )
    .action((opts: ApplyFlags) => apply(rt, opts));

  program
    .command('delete')
    .summary('delete the policies defined in files')
    .requiredOption('-f, --filename <path...>', 'policy file(s) or directories; - for stdin')
    .option('-R, --recursive', 'read directories recursively')
    .option('--dry-run', 'change nothing; show the diff of the Istio objects')
    .option('--ignore-not-found', 'a policy that does not exist is not an error')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action((opts: DeleteFlags) => remove(rt, opts));

  program
    .command('export')
    .summary('print the Istio YAML Heliomesh generates, for GitOps (Argo CD, Flux)')
    .action(async () => {
      const yaml = await rt.api().get<string>('/v1/export');
      rt.io.out(typeof yaml === 'string' ? yaml : '');
    });
}

async function apply(rt: CliRuntime, opts: ApplyFlags): Promise<void> {
  const parsed = await readPolicies(rt, opts);
  if (!parsed.policies.length && !opts.prune)
    throw new HeliomeshError({
      code: 'NOTHING_TO_APPLY',
      status: 400,
      message: 'The files contain no policies.',
    });
  const api = rt.api();
  const result = await api
    .request<ApplyResult>('POST', '/v1/apply', {
      yaml: formatPolicyDocuments(parsed.policies.map((s) => s.policy)),
      query: { prune: opts.prune ? 'true' : undefined, dryRun: opts.dryRun ? 'true' : undefined },
      reason: opts.reason,
    })
    .then((r) => r.body)
    .catch((err: unknown) => {
      throw inFiles(err, parsed.policies);
    });
  if (opts.output !== 'table') rt.out(formatData(result, opts.output));
  else printApply(rt, result, parsed.policies, opts.dryRun === true);
  if (opts.wait && !opts.dryRun) {
    const changed = new Set([...result.created, ...result.configured]);
    const policies = parsed.policies.map((s) => s.policy);
    await waitApplied(
      rt,
      api,
      policies.filter((p) => changed.has(`${p.target.namespace}/${p.name}`)),
      opts.timeout,
    );
  }
}

/** Deletes each policy of the files by namespace and name (one list per namespace). */
async function remove(rt: CliRuntime, opts: DeleteFlags): Promise<void> {
  const parsed = await readPolicies(rt, opts);
  const api = rt.api();
  const byNamespace = new Map<string, PolicyView[]>();
  let missing = 0;
  for (const { policy } of parsed.policies) {
    const ns = policy.target.namespace;
    if (!byNamespace.has(ns))
      byNamespace.set(ns, await api.list<PolicyView>('/v1/policies', { namespace: ns }));
    const found = byNamespace
      .get(ns)!
      .find(
        (p) =>
          p.name === policy.name &&
          (policy.target.cluster === undefined || p.cluster === policy.target.cluster),
      );
    const label = `${policy.kind} ${ns}/${policy.name}`;
    if (!found) {
      missing++;
      rt.out(rt.p.yellow(`${label} not found`));
      continue;
    }
    const res = await api.request<DryRunResult | { deleted: boolean }>('DELETE', `/v1/policies/${found.id}`, {
      query: { dryRun: opts.dryRun ? 'true' : undefined },
      reason: opts.reason,
    });
    rt.out(rt.p.red(`${label} deleted${opts.dryRun ? ' (dry run)' : ''}`));
    if ('dryRun' in res.body && res.body.diff) rt.out(colourDiff(res.body.diff, rt.p));
  }
  if (missing && !opts.ignoreNotFound)
    throw new HeliomeshError({
      code: 'NOT_FOUND',
      status: 404,
      message: `${missing} of the policies did not exist (add --ignore-not-found when that is expected).`,
    });
}

/** Local schema check first: a bad file is reported at `file:document:path` before anything is sent. */
async function readPolicies(rt: CliRuntime, opts: FileFlags): Promise<ParsedSources> {
  const files = await readSources(opts.filename, rt.io, opts.recursive);
  const parsed = parseSources(files);
  if (parsed.findings.length) {
    for (const f of parsed.findings) rt.io.err(`${rt.p.red(findingLine(f))}\n`);
    throw new HeliomeshError({
      code: 'BUNDLE_INVALID',
      status: 422,
      message: `${parsed.findings.length} problem${parsed.findings.length === 1 ? '' : 's'} in the files (above); nothing was sent. Fix them (heliomesh validate -f ... checks offline).`,
    });
  }
  return parsed;
}

const DOCUMENT = /^\$\.documents\[(\d+)\]/;

/** The API numbers documents in the bundle it got; name the file and document they came from instead. */
function inFiles(err: unknown, sourced: readonly SourcedPolicy[]): unknown {
  if (!(err instanceof HeliomeshError)) return err;
  const where = (path: string) => {
    const m = DOCUMENT.exec(path);
    const s = m ? sourced[Number(m[1])] : undefined;
    return s ? { at: `${s.file}:${s.document}`, path: `$${path.slice(m![0].length)}` } : undefined;
  };
  const here = where(err.path);
  const message = err.message.replace(/^Documents? (\d+)(?: and (\d+))?/, (whole, a: string, b?: string) => {
    const first = sourced[Number(a)];
    const second = b !== undefined ? sourced[Number(b)] : undefined;
    if (!first) return whole;
    return second
      ? `${first.file}:${first.document} and ${second.file}:${second.document}`
      : `${first.file}:${first.document}`;
  });
  return new HeliomeshError({
    code: err.code,
    status: err.status,
    message,
    path: here ? `${here.at} ${here.path}` : err.path,
    details: err.details.map((d) => {
      const w = where(d.path);
      return w ? { ...d, path: `${w.at} ${w.path}` } : d;
    }),
  });
}
