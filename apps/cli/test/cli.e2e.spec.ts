import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, REPO_ROOT } from '@heliomesh/testing';
import { memoryIo } from '../src/io/memory-io.util.js';
import { stripAnsi } from '../src/io/palette.util.js';
import { runCli } from '../src/program/cli.program.js';
import { runBin } from './cli-process.js';
import { simulatedMs, type Stack, startStack } from './stack.fixture.js';

const SPEED = 5;
let stack: Stack;
let work: string;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({ speed: SPEED });
  work = mkdtempSync(join(tmpdir(), 'heliomesh-cli-e2e-'));
  env = { HELIOMESH_CONFIG: join(work, 'config.yaml') };
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** The CLI in-process against the running stack, with real time and real HTTP. */
async function cli(args: string[], opts: { colour?: boolean } = {}) {
  const io = memoryIo({ env, cwd: work, realTime: true, colour: opts.colour ?? false });
  const code = await runCli(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

function npmRunDemo(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', 'demo', '--', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...stack.ports, HELIOMESH_STATE_DIR: stack.stateDir, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const policyDoc = (kind: string, name: string, spec: string) =>
  `apiVersion: heliomesh.io/v1alpha1\nkind: ${kind}\nmetadata: { name: ${name}, namespace: shop }\nspec:\n${spec}`;

describe('npm run demo', () => {
  it('applies the policies and ends with v2 promoted and v3 rolled back, within 5 minutes of simulated time', async () => {
    const simStart = await simulatedMs(stack);
    const started = Date.now();
    const demo = await npmRunDemo(['--interval', '2s', '--poll', '500ms']);
    const simElapsed = (await simulatedMs(stack)) - simStart;
    expect(demo.err).not.toMatch(/error/i);
    expect(demo.code, demo.out).toBe(0);
    expect(simElapsed).toBeLessThan(5 * 60_000);
    expect(Date.now() - started).toBeLessThan(120_000);
    for (const line of [
      'FaultInjection shop/ratings-slowdown created',
      'RateLimit shop/checkout-rate-limit created',
      'AccessControl shop/payment-denylist created',
      '3 policies applied to the cluster.',
    ])
      expect(demo.out).toContain(line);
    expect(demo.out).toMatch(
      /^✔ shop\/reviews v2 promoted to 100 %: success-rate [\d.]+ % \(needs ≥ 99 %\), latency-p99 [\d.]+ ms \(needs ≤ 500 ms\); \d+ analysis runs?, \d+ canary requests judged\.$/m,
    );
    expect(demo.out).toMatch(
      /^✘ shop\/reviews v3 rolled back at 20 % \(analysis-failed\): success-rate [\d.]+ % \(needs ≥ 99 %\), latency-p99 [\d.]+ ms \(needs ≤ 500 ms\); 1 analysis run, \d+ canary requests judged\.$/m,
    );
    // The progress bars went through every weight of the plan.
    expect(demo.out).toContain('reviews v1→v2  [##########----------]   50 %');
    expect(demo.out).toContain('reviews v1→v2  [####################]  100 %  Succeeded');
    expect(demo.out).toContain('reviews v2→v3  [--------------------]    0 %  RolledBack');

    // Run again (as a user would after reading it): the policies are unchanged and the story is the same.
    const again = await npmRunDemo(['--interval', '2s', '--poll', '500ms']);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('FaultInjection shop/ratings-slowdown unchanged');
  }, 240_000);
});

describe('heliomesh against the running stack', () => {
  it('logs in with the demo token (config file 0600), and refuses a wrong token without saving it', async () => {
    const bad = await runBin(
      ['login', stack.api, '--token', 'hm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      { env },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `error: AUTH_INVALID: ${stack.api} refused the token: This token is not valid.`,
    );
    expect(bad.stderr).toContain('Nothing was saved.');
    const ok = await runBin(
      ['login', stack.api, '--token', stack.token, '--gateway', stack.gateway, '--name', 'sandbox'],
      { env },
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(statSync(env['HELIOMESH_CONFIG']!).mode & 0o777).toBe(0o600);
    expect((await cli(['context', 'current'])).out).toBe(`sandbox ${stack.api}\n`);
  });

  it('lists services, policies, rollouts and audit events', async () => {
    expect((await cli(['get', 'services', '-n', 'shop'])).out).toMatch(
      /^shop\s+reviews\s+v1\(1\),v2\(1\),v3\(1\)\s+9080\/http\s+sandbox$/m,
    );
    expect((await cli(['get', 'policies'])).out).toMatch(
      /^shop\s+ratings-slowdown\s+FaultInjection\s+ratings\s+1\s+Applied\s/m,
    );
    const rollouts = JSON.parse((await cli(['get', 'rollouts', '-o', 'json'])).out) as Array<{
      phase: string;
      canary: string;
    }>;
    expect(rollouts.map((r) => `${r.canary}:${r.phase}`)).toEqual([
      'v3:RolledBack',
      'v2:Succeeded',
      'v3:RolledBack',
      'v2:Succeeded',
    ]);
    expect((await cli(['get', 'audit', '--action', 'rollout.*', '--limit', '50'])).out).toContain(
      'rollout.analysis-failed',
    );
  });

  it('describes a service: versions, policies, rollouts, live health and the generated config', async () => {
    const { code, out } = await cli(['describe', 'service', 'reviews', '-n', 'shop']);
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}v3\s+1\s+version=v3$/m);
    expect(out).toMatch(/^ {2}reviews-release\s+TrafficSplit\s+\d+\s+Applied$/m);
    expect(out).toMatch(/^Health \(last 60 s\):\n {2}reviews: (HEALTHY|DEGRADED|FAILURE) \(\d+ requests\)/m);
    expect(out).toMatch(/^ {2}v2\s+HEALTHY\s+[\d.]+\/s\s+100 %/m);
    expect(out).toContain('  kind: VirtualService\n  metadata:\n    name: heliomesh-reviews');
  });

  it('apply is idempotent: created, unchanged, a coloured dry-run diff that stores nothing, configured; prune and delete', async () => {
    const dir = join(work, 'policies');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'product.yaml'),
      policyDoc(
        'Retry',
        'product-retries',
        '  target: { service: product }\n  attempts: 3\n  retryOn: [5xx]\n',
      ),
    );
    writeFileSync(
      join(dir, 'ratings.yaml'),
      policyDoc('Timeout', 'ratings-timeout', '  target: { service: ratings }\n  timeout: 2s\n'),
    );

    expect((await cli(['apply', '-f', dir, '--wait'])).out).toBe(
      'Retry shop/product-retries created\nTimeout shop/ratings-timeout created\n2 policies applied to the cluster.\n',
    );
    expect((await cli(['apply', '-f', dir])).out).toBe(
      'Retry shop/product-retries unchanged\nTimeout shop/ratings-timeout unchanged\n',
    );

    writeFileSync(
      join(dir, 'product.yaml'),
      policyDoc(
        'Retry',
        'product-retries',
        '  target: { service: product }\n  attempts: 5\n  retryOn: [5xx]\n',
      ),
    );
    const dry = await cli(['apply', '-f', dir, '--dry-run'], { colour: true });
    expect(stripAnsi(dry.out)).toContain(
      'Retry shop/product-retries configured (dry run)\nTimeout shop/ratings-timeout unchanged\n--- applied/VirtualService/shop/heliomesh-product',
    );
    expect(dry.out).toContain('\x1b[31m-        attempts: 3\x1b[39m\n\x1b[32m+        attempts: 5\x1b[39m');
    const stored = JSON.parse((await cli(['get', 'policies', '-n', 'shop', '-o', 'json'])).out) as Array<{
      name: string;
      revision: number;
      spec: { attempts?: number };
    }>;
    expect(stored.find((p) => p.name === 'product-retries')).toMatchObject({
      revision: 1,
      spec: { attempts: 3 },
    });
    expect((await cli(['apply', '-f', dir, '--wait'])).out).toBe(
      'Retry shop/product-retries configured\nTimeout shop/ratings-timeout unchanged\n1 policy applied to the cluster.\n',
    );
    expect((await cli(['export'])).out).toMatch(/name: heliomesh-product[\s\S]*attempts: 5/);

    // --prune: a dry run names what would go and deletes nothing; then it goes; then nothing more.
    const pruneDry = await cli(['apply', '-f', dir, '--prune', '--dry-run']);
    for (const gone of ['ratings-slowdown', 'checkout-rate-limit', 'payment-denylist'])
      expect(pruneDry.out).toContain(`policy shop/${gone} deleted (pruned) (dry run)`);
    // The release pin the v2 rollout left is the platform's: prune keeps it, and says so.
    expect(pruneDry.out).toContain('policy shop/reviews-release kept (written by the platform');
    expect(JSON.parse((await cli(['get', 'policies', '-o', 'json'])).out)).toHaveLength(6);
    expect((await cli(['apply', '-f', dir, '--prune'])).out).toMatch(
      /policy shop\/payment-denylist deleted \(pruned\)\n/,
    );
    expect((await cli(['apply', '-f', dir, '--prune'])).out).toBe(
      "Retry shop/product-retries unchanged\nTimeout shop/ratings-timeout unchanged\npolicy shop/reviews-release kept (written by the platform, e.g. a rollout's release pin)\n",
    );
    const left = JSON.parse((await cli(['get', 'policies', '-o', 'json'])).out) as Array<{ name: string }>;
    expect(left.map((p) => p.name).sort()).toEqual(['product-retries', 'ratings-timeout', 'reviews-release']);

    expect((await cli(['delete', '-f', join(dir, 'ratings.yaml')])).out).toBe(
      'Timeout shop/ratings-timeout deleted\n',
    );
    const missing = await cli(['delete', '-f', join(dir, 'ratings.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(
      '1 of the policies did not exist (add --ignore-not-found when that is expected)',
    );
    expect((await cli(['delete', '-f', join(dir, 'ratings.yaml'), '--ignore-not-found'])).code).toBe(0);
  }, 120_000);

  it('rollout watch follows a canary live and ends on its verdict, with the exit code of the verdict', async () => {
    const file = join(work, 'reviews-v3.yaml');
    writeFileSync(
      file,
      `apiVersion: heliomesh.io/v1alpha1
kind: Rollout
metadata: { namespace: shop }
spec:
  target: { service: reviews }
  stable: v2
  canary: v3
  strategy: { type: canary, steps: [{ setWeight: 20 }, { analysis: {} }, { setWeight: 60 }, { analysis: {} }] }
  analysis:
    interval: 2s
    minRequests: 50
    failureLimit: 0
    metrics:
      - { name: success-rate, kind: request-success-rate, judge: { type: threshold, min: 99 } }
`,
    );
    const started = await runBin(['rollout', 'start', '-f', file, '--reason', 'e2e'], { env });
    expect(started.code, started.stderr).toBe(0);
    const id = /rollout (\S+) started: shop\/reviews v2→v3 \(canary, 4 steps\)/.exec(started.stdout)?.[1];
    expect(id).toBeDefined();
    const watched = await runBin(
      ['rollout', 'watch', 'reviews', '-n', 'shop', '--poll', '500ms', '--timeout', '2m'],
      { env, timeoutMs: 150_000 },
    );
    expect(watched.code).toBe(1);
    expect(watched.stdout).toMatch(/analysis at 20 %: fail \(success-rate [\d.]+ % ✗\)/);
    expect(watched.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^✘ shop\/reviews v3 rolled back at 20 % \(analysis-failed\): success-rate [\d.]+ % \(needs ≥ 99 %\)/,
    );
    const described = await cli(['describe', 'rollout', id!]);
    expect(described.out).toMatch(/^Phase:\s+RolledBack \(analysis-failed: /m);
  }, 180_000);

  it('steers a rollout: pause, resume, abort and retry by service name', async () => {
    const file = join(work, 'reviews-hold.json');
    writeFileSync(
      file,
      JSON.stringify({
        target: { namespace: 'shop', service: 'reviews' },
        stable: 'v2',
        canary: 'v1',
        strategy: {
          type: 'canary',
          steps: [{ setWeight: 30 }, { pause: { duration: '1h' } }, { setWeight: 60 }],
        },
      }),
    );
    expect((await cli(['rollout', 'start', '-f', file])).code).toBe(0);
    await eventually(
      async () => (await cli(['get', 'rollouts', '--active'])).out.includes('30%'),
      30_000,
      250,
    );
    const paused = await cli(['rollout', 'pause', 'shop/reviews', '--reason', 'hold for the release train']);
    expect(paused.out).toMatch(/pause accepted; now Paused at 30 %/);
    expect((await cli(['rollout', 'resume', 'reviews', '-n', 'shop'])).out).toMatch(
      /resume accepted; now (Progressing|Paused)/,
    );
    const aborted = await cli(['rollout', 'abort', 'shop/reviews', '--reason', 'e2e done']);
    expect(aborted.out).toMatch(/abort accepted; now (RollingBack|Aborted)/);
    await eventually(
      async () => /^Phase:\s+Aborted/m.test((await cli(['describe', 'rollout', 'shop/reviews'])).out),
      30_000,
      250,
    );
    const retried = await cli(['rollout', 'retry', 'shop/reviews']);
    expect(retried.out, retried.err).toMatch(/retry accepted; now (Initializing|Progressing)/);
    expect((await cli(['rollout', 'abort', 'shop/reviews'])).code).toBe(0);
    await eventually(
      async () => /^Phase:\s+Aborted/m.test((await cli(['describe', 'rollout', 'shop/reviews'])).out),
      30_000,
      250,
    );
    const noReason = await cli(['rollout', 'promote', 'shop/reviews', '--full', '--skip-analysis']);
    expect(noReason.code).toBe(1);
    expect(noReason.err).toMatch(/^error: REASON_REQUIRED: Skipping analysis needs a reason/);
    const finished = await cli(['rollout', 'promote', 'shop/reviews', '--full']);
    expect(finished.code).toBe(1);
    expect(finished.err).toMatch(
      /^error: ROLLOUT_NOT_PROMOTABLE: .* only a running rollout can be promoted\.$/m,
    );
  }, 120_000);
});
