import { type Command, Option } from 'commander';
import { stringify } from 'yaml';
import { bodyToDocument } from '@heliomesh/policy';
import type { ApiClient } from '../api/api-client.service.js';
import type {
  Finding,
  GeneratedConfig,
  PolicyView,
  RolloutEvent,
  RolloutView,
  ServiceView,
} from '../api/api.types.js';
import { serviceTelemetry } from '../api/gateway-telemetry.service.js';
import { findPolicy, findRollout, findService } from '../api/lookup.util.js';
import type { Palette } from '../io/palette.util.js';
import { age, renderTable } from '../io/table.util.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';
import { eventLine, formatMeasured, phaseText, verdictSummary } from '../rollout/rollout-format.util.js';
import { policyStatus } from './get.command.js';

const indent = (text: string, by = '  ') =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

const field = (label: string, value: string) => `${`${label}:`.padEnd(14)}${value}`;

export function describeCommand(program: Command, rt: CliRuntime): void {
  const describe = program
    .command('describe')
    .summary('show one service, policy or rollout in detail')
    .description('NAME is NAME with -n NAMESPACE, NAMESPACE/NAME, or an id.');

  describe
    .command('service')
    .aliases(['svc'])
    .description('versions, policies, findings, live health and the generated Istio config of a service')
    .argument('<name>', 'service')
    .option('-n, --namespace <namespace>', 'namespace')
    .addOption(new Option('--window <seconds>', 'health window').default('60'))
    .action(async (name: string, opts: { namespace?: string; window: string }) => {
      const api = rt.api();
      const service = await findService(api, name, opts.namespace);
      rt.out(await describeService(rt, api, service, Number(opts.window) || 60));
    });

  describe
    .command('policy')
    .aliases(['pol'])
    .description('a policy: its document, status, findings and revision history')
    .argument('<name>', 'policy')
    .option('-n, --namespace <namespace>', 'namespace')
    .action(async (name: string, opts: { namespace?: string }) => {
      const api = rt.api();
      const policy = await findPolicy(api, name, opts.namespace);
      rt.out(await describePolicy(rt, api, policy));
    });

  describe
    .command('rollout')
    .aliases(['ro'])
    .description('a rollout: where it stands, its plan, the last measurements and its events')
    .argument('<rollout>', 'rollout id or service')
    .option('-n, --namespace <namespace>', 'namespace of the service')
    .action(async (ref: string, opts: { namespace?: string }) => {
      const api = rt.api();
      const view = await findRollout(api, ref, opts.namespace);
      const events = await api.get<RolloutEvent[]>(`/v1/rollouts/${view.id}/events`, { limit: 1000 });
      rt.out(describeRollout(rt, view, events));
    });
}

function findingsText(findings: readonly Finding[], p: Palette): string {
  if (!findings.length) return '  (none)';
  return findings
    .map((f) => {
      const line = `  ${f.code} ${f.severity}: ${f.message} (${f.path})`;
      return f.severity === 'error' ? p.red(line) : f.severity === 'warning' ? p.yellow(line) : p.dim(line);
    })
    .join('\n');
}

async function describeService(
  rt: CliRuntime,
  api: ApiClient,
  s: ServiceView,
  window: number,
): Promise<string> {
  const p = rt.p;
  const [policies, rollouts, config] = await Promise.all([
    api.list<PolicyView>('/v1/policies', { serviceId: s.id }),
    api.list<RolloutView>('/v1/rollouts', { serviceId: s.id }),
    api.get<GeneratedConfig>(`/v1/services/${s.id}/config`),
  ]);
  const out = [
    field('Name', s.name),
    field('Namespace', s.namespace),
    field('Cluster', s.cluster),
    field('ID', s.id),
    field('Ports', s.ports.map((x) => `${x.port}${x.name ? `/${x.name}` : ''}`).join(', ') || '<none>'),
    field(
      'Discovered',
      `${age(s.discoveredAt, rt.io.now())} ago${s.removed ? p.red(' (removed from the cluster)') : ''}`,
    ),
    'Versions:',
    versionsTable(s),
    'Policies:',
    policiesTable(policies, p),
    'Rollouts:',
    rolloutsTable(rollouts, p, rt.io.now()),
    `Findings (${config.emitted ? 'config generated' : p.red('nothing generated: an error blocks this host')}):`,
    findingsText(config.findings, p),
    `Health (last ${window} s):`,
    await healthText(rt, s, window),
    `Generated config (${config.host}):`,
    config.yaml ? indent(config.yaml) : '  (none)',
  ];
  return out.join('\n');
}

function versionsTable(s: ServiceView): string {
  const labels = (l: Record<string, string>) =>
    Object.entries(l)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  return indent(
    renderTable(
      ['version', 'pods', 'labels'],
      s.versions.map((v) => [v.name, String(v.pods), labels(v.labels)]),
    ),
  );
}

function policiesTable(policies: readonly PolicyView[], p: Palette): string {
  if (!policies.length) return '  (none)';
  return indent(
    renderTable(
      ['name', 'kind', 'revision', 'status'],
      policies.map((x) => [x.name, x.kind, String(x.revision), policyStatus(x, p)]),
    ),
  );
}

/** The five most recent. */
function rolloutsTable(rollouts: readonly RolloutView[], p: Palette, now: number): string {
  if (!rollouts.length) return '  (none)';
  const recent = [...rollouts].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)).slice(0, 5);
  return indent(
    renderTable(
      ['id', 'versions', 'phase', 'weight', 'age'],
      recent.map((r) => [
        r.id,
        `${r.stable}->${r.canary}`,
        phaseText(r.phase, p),
        `${r.canaryWeight}%`,
        age(r.createdAt, now),
      ]),
    ),
  );
}

async function healthText(rt: CliRuntime, s: ServiceView, window: number): Promise<string> {
  const target = rt.target();
  if (!target.gateway)
    return rt.p.dim(
      '  not shown: no gateway in this context (heliomesh login <server> --gateway http://127.0.0.1:4000 ...)',
    );
  const t = await serviceTelemetry(target.gateway, target, s.id, window, rt.fetch);
  if (!('status' in t)) return rt.p.yellow(`  unavailable: ${t.error}`);
  const colour = (status: string) =>
    status === 'HEALTHY'
      ? rt.p.green(status)
      : status === 'NO_DATA'
        ? rt.p.dim(status)
        : status === 'DEGRADED'
          ? rt.p.yellow(status)
          : rt.p.red(status);
  const rows = t.versions.map((v) => {
    const m = t.metrics.find((x) => x.version === v.version);
    return [
      v.version ?? '',
      colour(v.status),
      m ? `${m.requestRate.toFixed(1)}/s` : '',
      m ? formatMeasured(m.successRate, '%') : '',
      m ? formatMeasured(m.latencyMs.p50, 'ms') : '',
      m ? formatMeasured(m.latencyMs.p99, 'ms') : '',
    ];
  });
  return [
    `  ${s.name}: ${colour(t.status)} (${Math.round(t.requestCount)} requests)${t.error ? rt.p.yellow(` ${t.error}`) : ''}`,
    ...(rows.length
      ? [indent(renderTable(['version', 'health', 'rate', 'success', 'p50', 'p99'], rows))]
      : []),
  ].join('\n');
}

async function describePolicy(rt: CliRuntime, api: ApiClient, policy: PolicyView): Promise<string> {
  const [history, config] = await Promise.all([
    api.get<
      Array<{ revision: number; change: string; actor: string; reason: string | null; createdAt: string }>
    >(`/v1/policies/${policy.id}/history`),
    policy.serviceId
      ? api.get<GeneratedConfig>(`/v1/services/${policy.serviceId}/config`)
      : Promise.resolve(undefined),
  ]);
  const doc = bodyToDocument({
    name: policy.name,
    kind: policy.kind,
    target: { ...policy.target, namespace: policy.namespace },
    spec: policy.spec,
  } as Parameters<typeof bodyToDocument>[0]);
  const findings = (config?.findings ?? []).filter((f) => f.policyIds?.includes(policy.id));
  return [
    field('Name', `${policy.namespace}/${policy.name}`),
    field('Kind', policy.kind),
    field('ID', policy.id),
    field('Cluster', policy.cluster),
    field('Revision', `${policy.revision} (applied: ${policy.status.appliedRevision ?? 'none'})`),
    field(
      'Status',
      `${policyStatus(policy, rt.p)}${policy.status.reason ? ` ${JSON.stringify(policy.status.reason)}` : ''}`,
    ),
    field('Updated', `${age(policy.updatedAt, rt.io.now())} ago by ${policy.updatedBy}`),
    'Document:',
    indent(stringify(doc, { lineWidth: 0 })),
    'Findings:',
    findingsText(findings, rt.p),
    'History:',
    indent(
      renderTable(
        ['revision', 'change', 'actor', 'reason', 'age'],
        history.map((h) => [
          String(h.revision),
          h.change,
          h.actor,
          h.reason ?? '',
          age(h.createdAt, rt.io.now()),
        ]),
      ),
    ),
  ].join('\n');
}

function describeRollout(rt: CliRuntime, r: RolloutView, events: readonly RolloutEvent[]): string {
  const p = rt.p;
  const lines = events.map((e) => eventLine(e, p)).filter((l): l is string => l !== undefined);
  return [
    field('ID', r.id),
    field('Service', `${r.namespace}/${r.service} (cluster ${r.cluster})`),
    field('Strategy', `${r.strategy}: ${r.stable} -> ${r.canary}`),
    field(
      'Phase',
      `${phaseText(r.phase, p)}${r.phaseReason?.message ? ` (${r.phaseReason.code}: ${r.phaseReason.message})` : ''}`,
    ),
    field('Step', `${Math.min(r.step.index + 1, r.step.total)}/${r.step.total} ${r.step.description}`),
    field('Canary weight', `${r.canaryWeight} %`),
    field('Failed checks', String(r.failedChecks)),
    field('Attempt', String(r.attempt)),
    field(
      'ETA',
      r.eta ?? (r.finishedAt ? `finished ${age(r.finishedAt, rt.io.now())} ago` : 'waiting for a human'),
    ),
    field('Created', `${age(r.createdAt, rt.io.now())} ago by ${r.createdBy}`),
    'Verdict:',
    `  ${verdictSummary(r, events, p)}`,
    `Events (${lines.length}):`,
    indent(lines.slice(-30).join('\n') || '(none)'),
  ].join('\n');
}
