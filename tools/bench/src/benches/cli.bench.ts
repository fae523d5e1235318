/**
 * `npm run bench -- cli [policies]`: the `heliomesh` CLI as a user runs it, in its own process
 * through `bin/heliomesh.mjs` (the launcher's staleness check included). Prints the median wall
 * time of 15 starts (`--version`, `--help`), of 5 offline validations of `policies` policy
 * documents (default 1,000 across 250 services in 50 files) with and without a --services file,
 * and, as the baseline measured in the same run, the start of a bare `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '@heliomesh/testing';
import { formatTable, median } from '../bench.util.js';

const POLICIES = Number(process.argv[2] ?? 1_000);
const BIN = join(REPO_ROOT, 'apps/cli/bin/heliomesh.mjs');

function timed(args: string[], runs: number): { median: number; code: number | null } {
  const durations: number[] = [];
  let code: number | null = null;
  for (let i = 0; i <= runs; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    code = run.status;
    if (code !== 0 && code !== 1) throw new Error(`${args.join(' ')} exited ${code}: ${run.stderr}`);
    // The first run is a warm-up (it also builds the CLI when its dist is stale).
    if (i > 0) durations.push(ms);
  }
  return { median: median(durations), code };
}

/** Four compatible policies per service: a split, a retry, a timeout and a fault on a path. */
function policyFiles(dir: string, count: number): { files: number; services: number } {
  const services = Math.ceil(count / 4);
  const docs: string[] = [];
  for (let s = 0; s < services; s++) {
    const ns = `team-${Math.floor(s / 50)}`;
    const target = { service: `svc-${s}` };
    const meta = (kind: string) => ({ name: `svc-${s}-${kind.toLowerCase()}`, namespace: ns });
    const specs: Array<[string, Record<string, unknown>]> = [
      [
        'TrafficSplit',
        {
          target,
          weights: [
            { version: 'v1', weight: 90 },
            { version: 'v2', weight: 10 },
          ],
        },
      ],
      ['Retry', { target, attempts: 2, perTryTimeout: '500ms', retryOn: ['5xx', 'reset'] }],
      ['Timeout', { target, timeout: '3s' }],
      [
        'FaultInjection',
        {
          target: { ...target, match: { uri: { prefix: '/chaos' } } },
          abort: { httpStatus: 503, percentage: 5 },
        },
      ],
    ];
    for (const [kind, spec] of specs)
      docs.push(stringify({ apiVersion: 'heliomesh.io/v1alpha1', kind, metadata: meta(kind), spec }));
  }
  const perFile = Math.ceil(docs.length / 50);
  let files = 0;
  for (let i = 0; i < docs.slice(0, count).length; i += perFile, files++)
    writeFileSync(
      join(dir, `policies-${String(files).padStart(2, '0')}.yaml`),
      docs.slice(i, Math.min(i + perFile, count)).join('---\n'),
    );
  const list = Array.from({ length: services }, (_, s) => ({
    name: `svc-${s}`,
    namespace: `team-${Math.floor(s / 50)}`,
    ports: [{ name: 'http', port: 8080 }],
    versions: [
      { name: 'v1', pods: 2 },
      { name: 'v2', pods: 1 },
    ],
  }));
  writeFileSync(join(dir, '..', 'services.yaml'), stringify(list));
  return { files, services };
}

const dir = mkdtempSync(join(tmpdir(), 'heliomesh-cli-bench-'));
const policiesDir = join(dir, 'policies');
mkdirSync(policiesDir);
const { files, services } = policyFiles(policiesDir, POLICIES);

const baseline = timed(['-e', '0'], 15);
const version = timed([BIN, '--version'], 15);
const help = timed([BIN, '--help'], 15);
const validate = timed([BIN, 'validate', '-f', policiesDir], 5);
const withServices = timed([BIN, 'validate', '-f', policiesDir, '--services', join(dir, 'services.yaml')], 5);
if (validate.code !== 0 || withServices.code !== 0)
  throw new Error('the generated policies should validate without errors');

console.log(`heliomesh CLI: ${POLICIES} policies on ${services} services in ${files} files\n`);
console.log(
  formatTable([
    { measure: 'baseline: node -e 0', 'median wall ms': baseline.median, 'x baseline': 1 },
    {
      measure: 'heliomesh --version',
      'median wall ms': version.median,
      'x baseline': version.median / baseline.median,
    },
    {
      measure: 'heliomesh --help',
      'median wall ms': help.median,
      'x baseline': help.median / baseline.median,
    },
    {
      measure: `heliomesh validate (${POLICIES} policies)`,
      'median wall ms': validate.median,
      'x baseline': validate.median / baseline.median,
    },
    {
      measure: 'heliomesh validate --services',
      'median wall ms': withServices.median,
      'x baseline': withServices.median / baseline.median,
    },
  ]),
);
