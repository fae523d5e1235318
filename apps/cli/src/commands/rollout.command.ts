import { type Command, InvalidArgumentError, Option } from 'commander';
import { durationMs } from '@heliomesh/analysis';
import type { ApiClient } from '../api/api-client.service.js';
import type { RolloutView } from '../api/api.types.js';
import { findRollout } from '../api/lookup.util.js';
import { readSources } from '../files/manifest-files.util.js';
import { formatData, type OutputFormat, parseOutputFormat } from '../io/output.util.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';
import { rolloutBodyFromFile } from '../rollout/rollout-file.util.js';
import { phaseText, verdictSummary } from '../rollout/rollout-format.util.js';
import { watchRollout } from '../rollout/rollout-watch.service.js';

/** `30s`, `5m`, `1h30m` as milliseconds (commander shows the message with the option). */
export function parseDuration(value: string): number {
  const ms = durationMs(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('use a duration such as 30s, 5m or 1h30m.');
  return ms;
}

interface WatchFlags {
  timeout?: number;
  poll: number;
  quiet?: boolean;
}

const watchOptions = (cmd: Command) =>
  cmd
    .addOption(
      new Option('--timeout <duration>', 'give up after this long (e.g. 10m); the rollout goes on').argParser(
        parseDuration,
      ),
    )
    .addOption(
      new Option('--poll <duration>', 'time between reads').argParser(parseDuration).default(1000, '1s'),
    )
    .option('-q, --quiet', 'only the progress line and the verdict, not every event');

export function rolloutCommand(program: Command, rt: CliRuntime): void {
  const rollout = program
    .command('rollout')
    .summary('start, steer and watch progressive deliveries')
    .description(
      'Progressive delivery: start a rollout from a file, steer it, and watch it to its verdict.\n\n' +
        'ROLLOUT is a rollout id, or a service (NAME with -n NAMESPACE, or NAMESPACE/NAME) for its running (else latest) rollout.',
    );
  startCommand(rollout, rt);
  watchOptions(
    rollout
      .command('watch')
      .description(
        'follow a rollout live (weight, step, last measurements) until its verdict; exit 1 unless it succeeds',
      )
      .argument('<rollout>', 'rollout id or service'),
  )
    .option('-n, --namespace <namespace>', 'namespace of the service')
    .action(async (ref: string, opts: WatchFlags & { namespace?: string }) => {
      const api = rt.api();
      const view = await findRollout(api, ref, opts.namespace);
      await watch(rt, api, view.id, opts);
    });
  steerCommands(rollout, rt);
}

interface StartFlags extends WatchFlags {
  filename: string;
  watch?: boolean;
  reason?: string;
  output: OutputFormat;
}

function startCommand(rollout: Command, rt: CliRuntime): void {
  watchOptions(
    rollout
      .command('start')
      .description('start a rollout from a file (the body of POST /v1/rollouts, or kind: Rollout)')
      .requiredOption('-f, --filename <file>', 'rollout YAML or JSON; - for stdin')
      .option('-w, --watch', 'follow it to its verdict (exit code 1 unless it succeeds)')
      .option('--reason <text>', 'why (recorded in the audit log)')
      .addOption(
        new Option('-o, --output <format>', 'table, json or yaml')
          .argParser(parseOutputFormat)
          .default('table'),
      ),
  ).action(async (opts: StartFlags) => {
    const [file] = await readSources([opts.filename], rt.io);
    const body = rolloutBodyFromFile(file!.text, file!.name);
    const api = rt.api();
    const created = await api.post<{ rollout: RolloutView; webhookSecret?: string }>('/v1/rollouts', body, {
      reason: opts.reason,
    });
    if (opts.output !== 'table') rt.out(formatData(created, opts.output));
    else {
      const r = created.rollout;
      rt.out(
        `rollout ${r.id} started: ${r.namespace}/${r.service} ${r.stable}→${r.canary} (${r.strategy}, ${r.step.total} steps)`,
      );
      if (created.webhookSecret) rt.out(`webhook secret (shown once): ${created.webhookSecret}`);
    }
    if (opts.watch) await watch(rt, api, created.rollout.id, opts);
  });
}

const STEER = [
  ['pause', 'hold the rollout with the split as it is, until resumed, promoted or aborted'],
  ['resume', 'continue a paused rollout'],
  ['abort', 'send all traffic back to stable and end the rollout as Aborted'],
  ['retry', 'start a rolled-back, failed or aborted rollout again from its first step'],
] as const;

interface PromoteFlags {
  namespace?: string;
  full?: boolean;
  skipAnalysis?: boolean;
  reason?: string;
}

function steerCommands(rollout: Command, rt: CliRuntime): void {
  for (const [name, description] of STEER) {
    rollout
      .command(name)
      .description(description)
      .argument('<rollout>', 'rollout id or service')
      .option('-n, --namespace <namespace>', 'namespace of the service')
      .option('--reason <text>', 'why (recorded in the audit log)')
      .action(async (ref: string, opts: { namespace?: string; reason?: string }) => {
        const api = rt.api();
        const { id } = await findRollout(api, ref, opts.namespace);
        const view = await api.post<RolloutView>(
          `/v1/rollouts/${id}/${name}`,
          opts.reason ? { reason: opts.reason } : {},
        );
        printState(rt, name, view);
      });
  }
  rollout
    .command('promote')
    .description('complete the current step now, or with --full go straight to promotion')
    .argument('<rollout>', 'rollout id or service')
    .option('-n, --namespace <namespace>', 'namespace of the service')
    .option('--full', 'skip every remaining step')
    .option('--skip-analysis', 'also skip the remaining analysis (needs --reason; audited)')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(async (ref: string, opts: PromoteFlags) => {
      const api = rt.api();
      const { id } = await findRollout(api, ref, opts.namespace);
      const view = await api.post<RolloutView>(`/v1/rollouts/${id}/promote`, {
        full: opts.full === true,
        skipAnalysis: opts.skipAnalysis === true,
        ...(opts.reason ? { reason: opts.reason } : {}),
      });
      printState(rt, 'promote', view);
    });
}

function printState(rt: CliRuntime, command: string, view: RolloutView): void {
  rt.out(
    `rollout ${view.id} (${view.namespace}/${view.service} ${view.stable}→${view.canary}): ${command} accepted; now ${phaseText(view.phase, rt.p)} at ${view.canaryWeight} % (${view.step.description}).`,
  );
}

async function watch(rt: CliRuntime, api: ApiClient, id: string, opts: WatchFlags): Promise<void> {
  const result = await watchRollout(api, id, rt.io, rt.p, {
    pollMs: opts.poll,
    timeoutMs: opts.timeout,
    events: opts.quiet !== true,
  });
  if (result.interrupted) {
    rt.out(
      `Stopped watching; rollout ${id} goes on (${result.view.phase}). Watch again: heliomesh rollout watch ${id}`,
    );
    rt.exitCode = 130;
    return;
  }
  rt.out(verdictSummary(result.view, result.events, rt.p));
  rt.exitCode = result.view.phase === 'Succeeded' ? 0 : 1;
}
