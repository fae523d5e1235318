import { Command } from 'commander';
import { errorMessage } from '@heliomesh/util';
import { loadChart, loadValuesFile } from './chart/chart-loader.util.js';
import { renderChart } from './chart/chart-render.util.js';
import { lintChart } from './lint/lint-manifests.util.js';

/**
 * `helm-render CHART -f values.yaml`: what `helm template` prints, without helm. With --lint it
 * also validates every object against kubernetes-models and runs the cross-reference checkers.
 */

const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command('helm-render')
  .description('Render a Helm chart like `helm template`, without the helm binary')
  .argument('[chart]', 'chart directory', 'charts/heliomesh')
  .option('-f, --values <file>', 'values file (repeatable; later files win)', collect, [] as string[])
  .option('--name <name>', 'release name', 'heliomesh')
  .option('-n, --namespace <namespace>', 'release namespace', 'heliomesh')
  .option('--kube-version <version>', 'Kubernetes version for .Capabilities')
  .option(
    '--api-versions <version>',
    'extra API version for .Capabilities.APIVersions (repeatable)',
    collect,
    [] as string[],
  )
  .option('--lint', 'validate the rendered objects and their cross-references; exit 1 on findings')
  .option(
    '--external-secret <name>',
    'a Secret the user creates (for --lint; repeatable)',
    collect,
    [] as string[],
  )
  .option(
    '--external-service-account <name>',
    'a ServiceAccount the user creates (for --lint; repeatable)',
    collect,
    [] as string[],
  )
  .action(async (chartDir: string, opts: Options) => {
    const chart = await loadChart(chartDir);
    const values = await Promise.all(opts.values.map(loadValuesFile));
    const rendered = renderChart(chart, {
      release: { name: opts.name, namespace: opts.namespace },
      values,
      apiVersions: opts.apiVersions,
      ...(opts.kubeVersion ? { kubeVersion: opts.kubeVersion } : {}),
    });
    for (const m of [...rendered.hooks, ...rendered.manifests])
      process.stdout.write(`---\n# Source: ${m.source}\n${m.text}\n`);
    if (!opts.lint) return;
    const findings = await lintChart(rendered, {
      secrets: opts.externalSecret,
      serviceAccounts: opts.externalServiceAccount,
    });
    for (const f of findings) process.stderr.write(`${f.rule}: ${f.object} ${f.path}: ${f.message}\n`);
    process.stderr.write(
      `${findings.length} finding(s) in ${rendered.manifests.length + rendered.hooks.length} objects\n`,
    );
    if (findings.length) process.exitCode = 1;
  });

interface Options {
  values: string[];
  name: string;
  namespace: string;
  kubeVersion?: string;
  apiVersions: string[];
  lint?: boolean;
  externalSecret: string[];
  externalServiceAccount: string[];
}

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`Error: ${errorMessage(e)}\n`);
  process.exitCode = 1;
});
