import { type Command, Option } from 'commander';
import type { AuditEvent, PolicyView, RolloutView, ServiceView } from '../api/api.types.js';
import { formatData, type OutputFormat, parseOutputFormat } from '../io/output.util.js';
import type { Palette } from '../io/palette.util.js';
import { age, renderTable } from '../io/table.util.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';
import { phaseText } from '../rollout/rollout-format.util.js';

interface ListOptions {
  namespace?: string;
  output: OutputFormat;
}

const outputOption = () =>
  new Option('-o, --output <format>', 'table, json or yaml').argParser(parseOutputFormat).default('table');
const namespaceOption = () => new Option('-n, --namespace <namespace>', 'only this namespace');

export function getCommand(program: Command, rt: CliRuntime): void {
  const get = program
    .command('get')
    .summary('list services, policies, rollouts or audit events')
    .description('Lists resources as a table, or as the API returns them with -o json|yaml.');
  getServices(get, rt);
  getPolicies(get, rt);
  getRollouts(get, rt);
  getAudit(get, rt);
}

function getServices(get: Command, rt: CliRuntime): void {
  get
    .command('services')
    .aliases(['service', 'svc'])
    .description('services discovered in your namespaces, with their versions')
    .addOption(namespaceOption())
    .option('--cluster <name>', 'only this cluster')
    .addOption(outputOption())
    .action(async (opts: ListOptions & { cluster?: string }) => {
      const items = await rt
        .api()
        .list<ServiceView>('/v1/services', { namespace: opts.namespace, cluster: opts.cluster });
      print(rt, opts.output, items, () => servicesTable(items));
    });
}

function getPolicies(get: Command, rt: CliRuntime): void {
  get
    .command('policies')
    .aliases(['policy', 'pol'])
    .description('policies, with their revision and whether the cluster runs them')
    .addOption(namespaceOption())
    .option('--kind <kind>', 'only this kind, e.g. TrafficSplit')
    .option('--service <name>', 'only policies on this service')
    .addOption(outputOption())
    .action(async (opts: ListOptions & { kind?: string; service?: string }) => {
      const items = (
        await rt.api().list<PolicyView>('/v1/policies', { namespace: opts.namespace, kind: opts.kind })
      ).filter((p) => opts.service === undefined || p.target.service === opts.service);
      print(rt, opts.output, items, () => policiesTable(items, rt.p, rt.io.now()));
    });
}

function getRollouts(get: Command, rt: CliRuntime): void {
  get
    .command('rollouts')
    .aliases(['rollout', 'ro'])
    .description('rollouts, newest first')
    .addOption(namespaceOption())
    .option('--active', 'only rollouts still driving traffic')
    .addOption(outputOption())
    .action(async (opts: ListOptions & { active?: boolean }) => {
      const items = await rt.api().list<RolloutView>('/v1/rollouts', {
        namespace: opts.namespace,
        ...(opts.active ? { active: 'true' } : {}),
      });
      items.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      print(rt, opts.output, items, () => rolloutsTable(items, rt.p, rt.io.now()));
    });
}

interface AuditFlags {
  action?: string;
  actor?: string;
  resource?: string;
  since?: string;
  limit: string;
  output: OutputFormat;
}

function getAudit(get: Command, rt: CliRuntime): void {
  get
    .command('audit')
    .description('audit events, newest first')
    .option('--action <action>', 'exact action, or a prefix ending in * (policy.*)')
    .option('--actor <actor>', 'only this actor')
    .option('--resource <id>', 'only events about this resource id')
    .option('--since <time>', 'RFC 3339 time, inclusive')
    .option('--limit <n>', 'how many (1-500)', '20')
    .addOption(outputOption())
    .action(async (opts: AuditFlags) => {
      const page = await rt.api().get<{ items: AuditEvent[] }>('/v1/audit', {
        action: opts.action,
        actor: opts.actor,
        resourceId: opts.resource,
        since: opts.since,
        limit: opts.limit,
      });
      print(rt, opts.output, page.items, () => auditTable(page.items, rt.io.now()));
    });
}

function print(rt: CliRuntime, format: OutputFormat, data: unknown[], table: () => string): void {
  if (format !== 'table') rt.out(formatData(data, format));
  else if (!data.length) rt.out('No resources found.');
  else rt.out(table());
}

function servicesTable(items: ServiceView[]): string {
  return renderTable(
    ['namespace', 'name', 'versions', 'ports', 'cluster'],
    items.map((s) => [
      s.namespace,
      s.removed ? `${s.name} (removed)` : s.name,
      s.versions.map((v) => `${v.name}(${v.pods})`).join(','),
      s.ports.map((p) => `${p.port}${p.name ? `/${p.name}` : ''}`).join(','),
      s.cluster,
    ]),
  );
}

export function policyStatus(p: PolicyView, palette: Palette): string {
  const phase = p.status.phase;
  if (phase === 'Applied')
    return p.status.appliedRevision === p.revision ? palette.green('Applied') : palette.yellow('Applying');
  return phase === 'Error' ? palette.red('Error') : palette.yellow(phase);
}

function policiesTable(items: PolicyView[], palette: Palette, now: number): string {
  return renderTable(
    ['namespace', 'name', 'kind', 'service', 'revision', 'status', 'age'],
    items.map((p) => [
      p.namespace,
      p.name,
      p.kind,
      p.target.service ?? '',
      String(p.revision),
      policyStatus(p, palette),
      age(p.createdAt, now),
    ]),
  );
}

function rolloutsTable(items: RolloutView[], palette: Palette, now: number): string {
  return renderTable(
    ['id', 'namespace', 'service', 'versions', 'phase', 'weight', 'step', 'age'],
    items.map((r) => [
      r.id,
      r.namespace,
      r.service,
      `${r.stable}->${r.canary}`,
      phaseText(r.phase, palette),
      `${r.canaryWeight}%`,
      `${Math.min(r.step.index + 1, r.step.total)}/${r.step.total}`,
      age(r.createdAt, now),
    ]),
  );
}

function auditTable(items: AuditEvent[], now: number): string {
  return renderTable(
    ['age', 'actor', 'action', 'resource', 'reason'],
    items.map((e) => [
      age(e.occurredAt, now),
      e.actor,
      e.action,
      e.resourceId ? `${e.resourceKind}/${e.resourceId}` : e.resourceKind,
      e.reason ?? '',
    ]),
  );
}
