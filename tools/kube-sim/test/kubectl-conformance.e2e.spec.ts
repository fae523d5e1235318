import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../src/index.js';
import { eventually, startSandbox } from './sandbox.helpers.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

/** The kubectl on PATH, if any (this machine has v1.32.4, a gcloud dispatcher build). */
function findKubectl(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':').filter(Boolean)) {
    const candidate = join(dir, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const kubectl = findKubectl();
const fixtures = join(import.meta.dirname, 'fixtures');

let sim: KubeSim;
let home: string;
let kubeconfig: string;

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      kubectl!,
      args,
      {
        cwd: fixtures,
        env: { PATH: process.env['PATH'] ?? '', HOME: home, KUBECONFIG: kubeconfig },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

beforeAll(async () => {
  if (!kubectl) return;
  ({ sim } = await startSandbox());
  home = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-'));
  kubeconfig = join(home, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig);
});

afterAll(async () => {
  if (!kubectl) return;
  await sim.stop();
  rmSync(home, { recursive: true, force: true });
});

/** A conformance case: runs only where kubectl exists, and says so (and passes) where it does not. */
function conformance(name: string, fn: () => Promise<void>): void {
  it(name, async () => {
    if (!kubectl) {
      console.log(`kubectl not found on PATH: conformance check "${name}" did not run`);
      return;
    }
    await fn();
  });
}

describe('kubectl v1.32 conformance (spec section 8)', () => {
  conformance('discovers the server: version, api-resources, api-versions, raw /apis', async () => {
    const version = await run('version');
    expect(version.code).toBe(0);
    expect(version.out).toContain('Server Version: v1.32.0');
    const resources = await run('api-resources');
    expect(resources.code).toBe(0);
    expect(resources.out).toMatch(/virtualservices\s+vs\s+networking\.istio\.io\/v1\s+true\s+VirtualService/);
    expect(resources.out).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    const versions = await run('api-versions');
    expect(versions.out.split('\n')).toEqual(
      expect.arrayContaining([
        'v1',
        'apps/v1',
        'networking.istio.io/v1',
        'networking.istio.io/v1alpha3',
        'security.istio.io/v1',
      ]),
    );
    const raw = await run('get', '--raw', '/apis');
    expect((JSON.parse(raw.out) as { kind: string }).kind).toBe('APIGroupList');
  });

  conformance(
    'creates, gets, selects, applies client- and server-side, patches and diffs a Deployment',
    async () => {
      expect((await run('create', 'ns', 'demo')).out).toContain('namespace/demo created');
      const nsYaml = await run('get', 'ns', 'demo', '-o', 'yaml');
      expect(nsYaml.out).toContain('kubernetes.io/metadata.name: demo');
      expect(nsYaml.out).toContain('phase: Active');
      expect((await run('-n', 'demo', 'create', '-f', 'deploy.yaml')).code).toBe(0);
      const again = await run('-n', 'demo', 'create', '-f', 'deploy.yaml');
      expect(again.code).toBe(1);
      expect(again.err).toContain(
        'Error from server (AlreadyExists): error when creating "deploy.yaml": deployments.apps "web" already exists',
      );
      await eventually(
        async () =>
          (await run('-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}')).out ===
          '2',
      );
      const wide = await run('-n', 'demo', 'get', 'deploy,svc,pods', '-o', 'wide');
      expect(wide.out).toMatch(
        /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/,
      );
      expect(wide.out).toMatch(/deployment\.apps\/web\s+2\/2\s+2\s+2\s+\S+\s+web\s+nginx:1\.25\s+app=web/);
      expect(wide.out).toMatch(
        /pod\/web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+kube-sim-node/,
      );
      const labelled = await run('get', 'pods', '-A', '--show-labels', '-l', 'app in (web),!canary');
      expect(labelled.out.trim().split('\n')).toHaveLength(3);
      expect(labelled.out).toContain('app=web,pod-template-hash=');
      expect(
        (await run('-n', 'demo', 'get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name')).out
          .trim()
          .split('\n'),
      ).toHaveLength(2);
      const badField = await run('-n', 'demo', 'get', 'pods', '--field-selector', 'spec.foo=x');
      expect(badField.code).toBe(1);
      expect(badField.err).toContain('field label not supported: spec.foo');

      expect((await run('-n', 'demo', 'apply', '-f', 'deploy.yaml')).code).toBe(0);
      expect((await run('-n', 'demo', 'apply', '-f', 'deploy-v2.yaml')).out).toContain(
        'deployment.apps/web configured',
      );
      // create: 1; first apply adds the last-applied annotation (annotations bump a Deployment's generation): 2; v2: 3.
      expect(
        (
          await run(
            '-n',
            'demo',
            'get',
            'deploy',
            'web',
            '-o',
            'jsonpath={.metadata.generation} {.spec.template.spec.containers[0].image}',
          )
        ).out,
      ).toBe('3 nginx:1.26');
      expect((await run('-n', 'demo', 'apply', '--server-side', '-f', 'deploy-v2.yaml')).out).toContain(
        'deployment.apps/web serverside-applied',
      );
      const managed = await run('-n', 'demo', 'get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields');
      expect(managed.out).toMatch(/manager: kubectl\n\s+operation: Apply/);
      const conflict = await run(
        '-n',
        'demo',
        'apply',
        '--server-side',
        '--field-manager=other',
        '-f',
        'conflict.yaml',
      );
      expect(conflict.code).toBe(1);
      expect(conflict.err).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
      expect(
        (
          await run(
            '-n',
            'demo',
            'apply',
            '--server-side',
            '--field-manager=other',
            '--force-conflicts',
            '-f',
            'conflict.yaml',
          )
        ).code,
      ).toBe(0);
      expect((await run('-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).out).toBe(
        '5',
      );
      const test = await run(
        '-n',
        'demo',
        'patch',
        'deploy',
        'web',
        '--type=json',
        '-p',
        '[{"op":"test","path":"/spec/replicas","value":99}]',
      );
      expect(test.code).toBe(1);
      expect(test.err).toContain('testing value /spec/replicas failed');
      const genBefore = Number(
        (await run('-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}')).out,
      );
      expect((await run('-n', 'demo', 'label', 'deploy', 'web', 'tier=fe')).out).toContain('labeled');
      expect(
        Number(
          (await run('-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}')).out,
        ),
      ).toBe(genBefore);
      expect((await run('-n', 'demo', 'annotate', 'deploy', 'web', 'a=b')).out).toContain('annotated');
      expect(
        Number(
          (await run('-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.generation}')).out,
        ),
      ).toBe(genBefore + 1);
      const diff = await run('-n', 'demo', 'diff', '-f', 'deploy-v3.yaml');
      expect(diff.code).toBe(1);
      expect(diff.out).toContain('+      - image: nginx:1.27');
      expect((await run('-n', 'demo', 'apply', '--dry-run=server', '-f', 'deploy-v3.yaml')).out).toContain(
        '(server dry run)',
      );
      expect(
        (
          await run(
            '-n',
            'demo',
            'get',
            'deploy',
            'web',
            '-o',
            'jsonpath={.spec.template.spec.containers[0].image}',
          )
        ).out,
      ).toBe('nginx:1.26');
      const rollout = await run('-n', 'demo', 'rollout', 'status', 'deploy/web', '--timeout=20s');
      expect(rollout.code).toBe(0);
      expect(rollout.out).toContain('deployment "web" successfully rolled out');
    },
  );

  conformance(
    'serves the Istio CRDs and user CRDs: tables, categories, versions, 415 for strategic patches, strict fields',
    async () => {
      expect(
        (await run('wait', '--for', 'condition=established', 'crd/virtualservices.networking.istio.io')).code,
      ).toBe(0);
      expect((await run('apply', '-f', 'widget-crd.yaml')).code).toBe(0);
      expect(
        (await run('wait', '--for', 'condition=established', 'crd/widgets.example.com', '--timeout=10s'))
          .code,
      ).toBe(0);
      expect((await run('-n', 'demo', 'apply', '-f', 'widget.yaml')).code).toBe(0);
      expect((await run('-n', 'demo', 'get', 'wd')).out).toMatch(/NAME\s+SIZE\s+COLOR\n\s*w1\s+3\s+red/);
      const invalid = await run('-n', 'demo', 'apply', '-f', 'widget-invalid.yaml');
      expect(invalid.code).toBe(1);
      // kubectl prints the causes of a 422 one per line.
      expect(invalid.err).toContain('The Widget "w2" is invalid:');
      expect(invalid.err).toContain(
        '* spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
      );
      expect(invalid.err).toContain(
        '* spec.color: Unsupported value: "green": supported values: "red", "blue"',
      );

      expect((await run('-n', 'demo', 'apply', '-f', 'vs.yaml')).out).toContain(
        'virtualservice.networking.istio.io/reviews created',
      );
      expect((await run('-n', 'demo', 'get', 'vs')).out).toMatch(
        /NAME\s+GATEWAYS\s+HOSTS\s+AGE\nreviews\s+\["reviews"\]\s+\d+s/,
      );
      expect(
        (
          await run(
            '-n',
            'demo',
            'get',
            'virtualservices.v1beta1.networking.istio.io',
            '-o',
            'jsonpath={.items[0].apiVersion}',
          )
        ).out,
      ).toBe('networking.istio.io/v1beta1');
      expect((await run('get', 'istio-io', '-A')).out).toContain(
        'virtualservice.networking.istio.io/reviews',
      );
      const smp = await run('-n', 'demo', 'patch', 'vs', 'reviews', '-p', '{"spec":{}}');
      expect(smp.code).toBe(1);
      expect(smp.err).toContain('application/strategic-merge-patch+json is not supported');
      expect(
        (await run('-n', 'demo', 'patch', 'vs', 'reviews', '--type=merge', '-p', '{"spec":{"hosts":["r"]}}'))
          .code,
      ).toBe(0);
      const strict = await run('-n', 'demo', 'create', '-f', 'vs-unknown-field.yaml');
      expect(strict.code).toBe(1);
      expect(strict.err).toContain(
        'VirtualService in version "v1" cannot be handled as a VirtualService: strict decoding error: unknown field "spec.foo"',
      );
      const warn = await run('-n', 'demo', 'create', '-f', 'vs-unknown-field.yaml', '--validate=warn');
      expect(warn.code).toBe(0);
      expect(warn.err).toContain('Warning: unknown field "spec.foo"');
    },
  );

  conformance(
    'streams a table watch, honours finalizers, and deletes a namespace with its contents',
    async () => {
      const watch = spawn(kubectl!, ['-n', 'demo', 'get', 'vs', '-w'], {
        env: { PATH: process.env['PATH'] ?? '', HOME: home, KUBECONFIG: kubeconfig },
      });
      let watched = '';
      watch.stdout.on('data', (d: Buffer) => (watched += d.toString()));
      await eventually(() => watched.includes('reviews'));
      await run('-n', 'demo', 'patch', 'vs', 'reviews', '--type=merge', '-p', '{"spec":{"hosts":["r2"]}}');
      await run('-n', 'demo', 'delete', 'vs', 'bad');
      await eventually(
        () =>
          watched.includes('["r2"]') && watched.split('\n').filter((l) => l.startsWith('bad')).length >= 2,
      );
      watch.kill('SIGTERM');
      expect(watched.split('\n')[0]).toMatch(/^NAME\s+GATEWAYS\s+HOSTS\s+AGE$/);

      await run(
        '-n',
        'demo',
        'patch',
        'vs',
        'reviews',
        '--type=merge',
        '-p',
        '{"metadata":{"finalizers":["x/y"]}}',
      );
      expect((await run('-n', 'demo', 'delete', 'vs', 'reviews', '--wait=false')).code).toBe(0);
      expect(
        (await run('-n', 'demo', 'get', 'vs', 'reviews', '-o', 'jsonpath={.metadata.deletionTimestamp}')).out,
      ).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      await run(
        '-n',
        'demo',
        'patch',
        'vs',
        'reviews',
        '--type=json',
        '-p',
        '[{"op":"remove","path":"/metadata/finalizers"}]',
      );
      expect((await run('-n', 'demo', 'get', 'vs', 'reviews')).err).toContain(
        'virtualservices.networking.istio.io "reviews" not found',
      );

      expect((await run('-n', 'demo', 'delete', 'deploy', 'web')).code).toBe(0);
      await eventually(
        async () => (await run('-n', 'demo', 'get', 'pods,rs', '-o', 'name')).out.trim() === '',
      );
      expect((await run('delete', 'ns', 'demo')).out).toContain('namespace "demo" deleted');
      expect((await run('wait', '--for=delete', 'ns/demo', '--timeout=30s')).code).toBe(0);
    },
  );
});
