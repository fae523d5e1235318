import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { formatPolicyDocuments } from '@heliomesh/policy';
import { HeliomeshError } from '@heliomesh/util';
import { ApiClient } from '../api/api-client.service.js';
import type { ApplyResult, GeneratedConfig, RolloutView, ServiceView } from '../api/api.types.js';
import { printApply } from '../commands/apply-output.util.js';
import { waitApplied } from '../commands/wait-applied.util.js';
import { findingLine, parseSources } from '../files/policy-sources.util.js';
import { renderTable } from '../io/table.util.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';
import { rolloutBodyFromFile } from '../rollout/rollout-file.util.js';
import { verdictSummary } from '../rollout/rollout-format.util.js';
import { watchRollout } from '../rollout/rollout-watch.service.js';

export interface DemoOptions {
  server: string;
  token: string;
  gateway: string;
  /** The shell words that print the token, for the "drive it yourself" hints. */
  tokenHint: string;
  /** Where the demo's policy and rollout files are (apps/cli/demo). */
  assetsDir: string;
  /** Overrides the analysis interval and window of both canaries (e.g. 2s on a fast mesh). */
  interval?: string;
  pollMs: number;
  timeoutMs: number;
}

const NAMESPACE = 'shop';
const REASON = 'npm run demo';

/** The two canaries and the verdict each should reach. */
const CANARIES = [
  { file: 'rollouts/reviews-v2-canary.yaml', expect: 'Succeeded', title: 'a canary of reviews v2 (healthy)' },
  {
    file: 'rollouts/reviews-v3-canary.yaml',
    expect: 'RolledBack',
    title: 'a canary of reviews v3 (slow, fails 8 %)',
  },
] as const;

export interface DemoOutcome {
  /** Both canaries reached the verdict the story expects. */
  asExpected: boolean;
  interrupted: boolean;
  rollouts: RolloutView[];
}

/**
 * `npm run demo`: against a running `npm start`, applies three policies to the demo shop and
 * runs two canaries of reviews to their verdicts, v2 promoted and v3 rolled back, each with the
 * evidence behind the decision.
 */
export async function runDemo(rt: CliRuntime, opts: DemoOptions): Promise<DemoOutcome> {
  const p = rt.p;
  const api = new ApiClient({ server: opts.server, token: opts.token }, rt.fetch);
  rt.out(p.bold(`Heliomesh demo against ${opts.server} (tenant demo, namespace ${NAMESPACE})`));
  await api.request('GET', '/readyz', { accept: [503] }).catch((err: unknown) => {
    if (err instanceof HeliomeshError && err.code === 'SERVER_UNREACHABLE')
      throw new HeliomeshError({
        code: err.code,
        status: err.status,
        message: `Nothing answers at ${opts.server}. Start the platform with \`npm start\` in another terminal, wait for "Heliomesh is ready", then run \`npm run demo\` again (or pass --server).`,
      });
    throw err;
  });

  const services = await api.list<ServiceView>('/v1/services', { namespace: NAMESPACE });
  checkShop(services);
  rt.out(`\n${p.bold(`1. The shop: ${services.length} services discovered in namespace ${NAMESPACE}`)}`);
  rt.out(
    renderTable(
      ['service', 'versions'],
      services.map((s) => [s.name, s.versions.map((v) => v.name).join(', ')]),
    ),
  );

  rt.out(
    p.bold('\n2. Policies: a rate limit on checkout, a deny list on payment, fault injection on ratings'),
  );
  await applyPolicies(rt, api, opts, services);

  await abortLeftovers(rt, api);
  const rollouts: RolloutView[] = [];
  for (const [i, canary] of CANARIES.entries()) {
    rt.out(`\n${p.bold(`${i + 3}. ${canary.title[0]!.toUpperCase()}${canary.title.slice(1)}`)}`);
    const watched = await runCanary(rt, api, opts, canary.file);
    if (watched.interrupted)
      return { asExpected: false, interrupted: true, rollouts: [...rollouts, watched.view] };
    rollouts.push(watched.view);
  }
  const asExpected = rollouts.every((r, i) => r.phase === CANARIES[i]!.expect);
  printEpilogue(rt, opts, rollouts, asExpected);
  return { asExpected, interrupted: false, rollouts };
}

/** Starts one canary from its file and watches it to its verdict. */
async function runCanary(rt: CliRuntime, api: ApiClient, opts: DemoOptions, file: string) {
  const body = rolloutBodyFromFile(readFileSync(join(opts.assetsDir, file), 'utf8'), file);
  if (opts.interval)
    body['analysis'] = { ...(body['analysis'] as object), interval: opts.interval, window: opts.interval };
  const { rollout } = await api.post<{ rollout: RolloutView }>('/v1/rollouts', body, { reason: REASON });
  rt.out(
    rt.p.dim(`rollout ${rollout.id}: ${rollout.stable} → ${rollout.canary}, ${rollout.step.total} steps`),
  );
  const watched = await watchRollout(api, rollout.id, rt.io, rt.p, {
    pollMs: opts.pollMs,
    timeoutMs: opts.timeoutMs,
    events: true,
  });
  if (watched.interrupted)
    rt.out(
      `Stopped; rollout ${rollout.id} goes on (${watched.view.phase}). Watch it: npx heliomesh rollout watch ${rollout.id}`,
    );
  else rt.out(verdictSummary(watched.view, watched.events, rt.p));
  return watched;
}

function printEpilogue(
  rt: CliRuntime,
  opts: DemoOptions,
  rollouts: readonly RolloutView[],
  asExpected: boolean,
): void {
  const p = rt.p;
  rt.out(`\n${p.bold('Summary')}`);
  for (const r of rollouts)
    rt.out(
      `  ${r.service} ${r.canary}: ${r.phase === 'Succeeded' ? p.green('promoted') : p.red(r.phase)} (rollout ${r.id})`,
    );
  if (!asExpected)
    rt.out(
      p.red(
        'The canaries did not end as the demo expects (v2 promoted, v3 rolled back); `npx heliomesh describe rollout ID` shows why.',
      ),
    );
  rt.out(
    [
      '',
      p.bold('Drive the same flows yourself:'),
      `  npx heliomesh login ${opts.server} --token ${opts.tokenHint} --gateway ${opts.gateway}`,
      `  npx heliomesh get policies -n ${NAMESPACE}`,
      '  npx heliomesh apply -f apps/cli/demo/policies --dry-run',
      `  npx heliomesh describe service reviews -n ${NAMESPACE}`,
      `  npx heliomesh rollout start -f ${join('apps/cli/demo', CANARIES[1].file)} --watch`,
      '  npx heliomesh get audit --action "rollout.*"',
    ].join('\n'),
  );
}

function checkShop(services: readonly ServiceView[]): void {
  const reviews = services.find((s) => s.name === 'reviews');
  const versions = new Set(reviews?.versions.map((v) => v.name));
  if (!['v1', 'v2', 'v3'].every((v) => versions.has(v)))
    throw new HeliomeshError({
      code: 'DEMO_SHOP_MISSING',
      status: 409,
      message: `Namespace ${NAMESPACE} has no reviews v1, v2 and v3. Run \`npm start\` on the sandbox (the default): it deploys the demo shop and seeds the demo tenant.`,
    });
}

async function applyPolicies(
  rt: CliRuntime,
  api: ApiClient,
  opts: DemoOptions,
  services: readonly ServiceView[],
): Promise<void> {
  const dir = join(opts.assetsDir, 'policies');
  const parsed = parseSources(
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') })),
  );
  if (parsed.findings.length) throw new Error(`${dir} is not valid: ${findingLine(parsed.findings[0]!)}`);
  const result = (
    await api.request<ApplyResult>('POST', '/v1/apply', {
      yaml: formatPolicyDocuments(parsed.policies.map((s) => s.policy)),
      reason: REASON,
    })
  ).body;
  printApply(rt, result, parsed.policies, false);
  await waitApplied(
    rt,
    api,
    parsed.policies.map((s) => s.policy),
    60_000,
  );
  for (const { policy } of parsed.policies) {
    const service = services.find((s) => s.name === policy.target.service);
    if (!service) continue;
    const config = await api.get<GeneratedConfig>(`/v1/services/${service.id}/config`);
    const objects = parseAllDocuments(config.yaml)
      .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null)
      .filter((o) => o?.kind)
      .map((o) => `${o!.kind}/${o!.metadata?.name ?? ''}`);
    rt.out(rt.p.dim(`  ${policy.target.service}: ${objects.join(', ')}`));
  }
}

/** A demo stopped half-way leaves its rollout running; a service runs one rollout at a time. */
async function abortLeftovers(rt: CliRuntime, api: ApiClient): Promise<void> {
  const active = (
    await api.list<RolloutView>('/v1/rollouts', { namespace: NAMESPACE, active: 'true' })
  ).filter((r) => r.service === 'reviews');
  for (const r of active) {
    rt.out(
      rt.p.yellow(`Aborting rollout ${r.id} (${r.stable} → ${r.canary}) left running by an earlier demo.`),
    );
    await api.post(`/v1/rollouts/${r.id}/abort`, { reason: `${REASON}: starting again` });
  }
}
