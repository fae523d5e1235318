import { formatPolicyDocuments, parsePolicyDocuments } from '@heliomesh/policy';
import { describe, expect, it } from 'vitest';
import {
  apiErrorReply,
  connectionRefused,
  type FakeRequest,
  type FakeReply,
  fakeFetch,
} from '../../test/fake-api.js';
import { analysis, rolloutView, verdict } from '../../test/rollout-fixtures.js';
import { memoryIo } from '../io/memory-io.util.js';
import { runCli } from './cli.program.js';

const ENV = {
  HELIOMESH_SERVER: 'http://api.test',
  HELIOMESH_TOKEN: 'hm_test',
  HELIOMESH_CONFIG: '/nonexistent/heliomesh.yaml',
};

async function run(
  args: string[],
  handler: (req: FakeRequest) => FakeReply = () => ({ status: 404 }),
  stdin?: string,
) {
  const io = memoryIo({ env: ENV, ...(stdin !== undefined ? { stdin } : {}) });
  const fetch = fakeFetch(handler);
  const code = await runCli(args, io, fetch);
  return { code, out: io.stdout(), err: io.stderr(), calls: fetch.calls };
}

const BUNDLE = `apiVersion: heliomesh.io/v1alpha1
kind: FaultInjection
metadata: { name: ratings-chaos, namespace: shop }
spec:
  target: { service: ratings }
  abort: { httpStatus: 503, percentage: 5 }
---
apiVersion: heliomesh.io/v1alpha1
kind: Retry
metadata: { name: product-retries, namespace: shop }
spec:
  target: { service: product }
  attempts: 3
`;

describe('heliomesh (in-process, against an in-memory API)', () => {
  it('prints help with every command and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of [
      'login',
      'context',
      'get',
      'describe',
      'apply',
      'delete',
      'export',
      'validate',
      'rollout',
      'completion',
      'demo',
    ])
      expect(out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect((await run(['rollout', 'watch', '--help'])).out).toContain('--timeout <duration>');
  });

  it('suggests the command meant, and exits 1', async () => {
    const { code, err } = await run(['rolout']);
    expect(code).toBe(1);
    expect(err).toContain("unknown command 'rolout'");
    expect(err).toContain('(Did you mean rollout?)');
  });

  it('says how to log in when no server is configured', async () => {
    const io = memoryIo({ env: { HELIOMESH_CONFIG: '/nonexistent/heliomesh.yaml' } });
    expect(
      await runCli(
        ['get', 'services'],
        io,
        fakeFetch(() => ({ json: { items: [] } })),
      ),
    ).toBe(1);
    expect(io.stderr()).toBe(
      'error: NOT_LOGGED_IN: No server configured. Log in with `heliomesh login <server-url> --token <token>` (on `npm start` the demo token is in .heliomesh/demo-operator-token).\n',
    );
  });

  it('turns a refused token into one line that says how to log in', async () => {
    const { code, err } = await run(['get', 'policies'], () =>
      apiErrorReply(
        401,
        'AUTH_REVOKED',
        'The token "ci" was revoked. Ask an admin for a new one.',
        '$.headers.authorization',
      ),
    );
    expect(code).toBe(1);
    expect(err).toBe(
      'error: AUTH_REVOKED: The token "ci" was revoked. Ask an admin for a new one. Log in with `heliomesh login <server-url> --token <token>` (on `npm start` the demo token is in .heliomesh/demo-operator-token).\n',
    );
  });

  it('says how to start the platform when the connection is refused', async () => {
    const { code, err } = await run(['get', 'rollouts'], () => {
      throw connectionRefused();
    });
    expect(code).toBe(1);
    expect(err).toContain(
      'error: SERVER_UNREACHABLE: Cannot reach the Heliomesh API at http://api.test (connection refused). Start the platform with `npm start`',
    );
  });

  it('tells a demo without a running platform to start it first', async () => {
    const { code, err } = await run(['demo'], () => {
      throw connectionRefused();
    });
    expect(code).toBe(1);
    expect(err).toBe(
      'error: SERVER_UNREACHABLE: Nothing answers at http://api.test. Start the platform with `npm start` in another terminal, wait for "Heliomesh is ready", then run `npm run demo` again (or pass --server).\n',
    );
  });

  it('lists policies as a table, and as the API sends them with -o json', async () => {
    const policy = {
      id: 'p1',
      name: 'ratings-chaos',
      kind: 'FaultInjection',
      cluster: 'sandbox',
      namespace: 'shop',
      serviceId: 's1',
      target: { service: 'ratings' },
      spec: {},
      revision: 2,
      status: { phase: 'Applied', appliedRevision: 2, reason: null, updatedAt: '2026-01-01T00:00:00Z' },
      createdAt: '2025-12-31T23:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      createdBy: 'a',
      updatedBy: 'a',
    };
    const handler = (req: FakeRequest): FakeReply =>
      req.path === '/v1/policies' && req.query.get('namespace') === 'shop'
        ? { json: { items: [policy] } }
        : { status: 404 };
    const table = await run(['get', 'policies', '-n', 'shop'], handler);
    expect(table.out).toBe(
      'NAMESPACE   NAME            KIND             SERVICE   REVISION   STATUS    AGE\nshop        ratings-chaos   FaultInjection   ratings   2          Applied   60m\n',
    );
    expect(JSON.parse((await run(['get', 'policies', '-n', 'shop', '-o', 'json'], handler)).out)).toEqual([
      policy,
    ]);
    expect((await run(['get', 'policies', '-o', 'xml'], handler)).err).toContain(
      'use one of table, json, yaml',
    );
  });

  it('applies files as one normalised bundle and prints what changed, kubectl-style', async () => {
    const { code, out, calls } = await run(
      ['apply', '-f', '-', '--prune', '--dry-run', '--reason', 'tidy up'],
      (req) =>
        req.path === '/v1/apply'
          ? {
              json: {
                created: ['shop/ratings-chaos'],
                configured: [],
                unchanged: ['shop/product-retries'],
                deleted: ['shop/old'],
                dryRun: {
                  dryRun: true,
                  yaml: '',
                  diff: '--- applied/x\n+++ desired/x\n-a\n+b\n',
                  findings: [],
                },
              },
            }
          : { status: 404 },
      BUNDLE,
    );
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'FaultInjection shop/ratings-chaos created (dry run)',
        'Retry shop/product-retries unchanged',
        'policy shop/old deleted (pruned) (dry run)',
        '--- applied/x',
        '+++ desired/x',
        '-a',
        '+b',
        '',
      ].join('\n'),
    );
    const sent = calls.find((c) => c.path === '/v1/apply')!;
    expect(sent.query.get('prune')).toBe('true');
    expect(sent.query.get('dryRun')).toBe('true');
    expect(sent.headers['content-type']).toBe('application/yaml');
    expect(sent.headers['x-change-reason']).toBe('tidy up');
    expect(sent.body).toBe(formatPolicyDocuments(parsePolicyDocuments(BUNDLE).policies.map((p) => p.policy)));
  });

  it("names the file and document of the API's complaint", async () => {
    const { code, err } = await run(
      ['apply', '-f', '-'],
      () =>
        apiErrorReply(
          422,
          'IMMUTABLE_FIELD',
          'Document 1: policy shop/product-retries is a Timeout; its kind cannot change to Retry.',
          '$.documents[1].kind',
        ),
      BUNDLE,
    );
    expect(code).toBe(1);
    expect(err).toBe(
      'error: IMMUTABLE_FIELD: <stdin>:1: policy shop/product-retries is a Timeout; its kind cannot change to Retry.\n  at <stdin>:1 $.kind\n',
    );
  });

  it('sends nothing when a file is not valid, and says where', async () => {
    const { code, err, calls } = await run(
      ['apply', '-f', '-'],
      () => ({ json: {} }),
      BUNDLE.replace('attempts: 3', 'attempts: 3\n  tries: 1'),
    );
    expect(code).toBe(1);
    expect(calls).toEqual([]);
    expect(err).toContain('<stdin>:1:$.spec.tries HM0001 error: unknown field "tries"');
    expect(err).toContain('nothing was sent');
  });

  it('starts a rollout and watches it to its verdict; the exit code is the verdict', async () => {
    const ended =
      (phase: 'Succeeded' | 'RolledBack') =>
      (req: FakeRequest): FakeReply => {
        if (req.method === 'POST' && req.path === '/v1/rollouts')
          return { status: 201, json: { rollout: rolloutView({ phase: 'Initializing', canaryWeight: 0 }) } };
        if (req.path.endsWith('/events'))
          return {
            json: [
              analysis(1, phase === 'Succeeded' ? 'continue' : 'fail', [
                verdict(
                  'success-rate',
                  phase === 'Succeeded' ? 100 : 90,
                  phase === 'Succeeded' ? 'pass' : 'fail',
                  '%',
                ),
              ]),
            ],
          };
        return { json: rolloutView({ phase, canaryWeight: phase === 'Succeeded' ? 100 : 0 }) };
      };
    const body =
      'target: { namespace: shop, service: reviews }\nstable: v1\ncanary: v2\nstrategy: { type: canary, steps: [{ setWeight: 50 }] }\n';
    const ok = await run(['rollout', 'start', '-f', '-', '--watch', '-q'], ended('Succeeded'), body);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(
      'rollout 3f2c6a1e-0000-4000-8000-000000000001 started: shop/reviews v1→v2 (canary, 4 steps)',
    );
    expect(ok.out).toContain('✔ shop/reviews v2 promoted to 100 %: success-rate 100 % (needs ≥ 99 %)');
    expect(JSON.parse(ok.calls[0]!.body!)).toEqual({
      target: { namespace: 'shop', service: 'reviews' },
      stable: 'v1',
      canary: 'v2',
      strategy: { type: 'canary', steps: [{ setWeight: 50 }] },
    });
    const bad = await run(['rollout', 'start', '-f', '-', '--watch'], ended('RolledBack'), body);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('✘ shop/reviews v2 rolled back at 20 %');
  });

  it('steers the running rollout of a service named instead of an id', async () => {
    const running = rolloutView({
      id: '00000000-0000-4000-8000-00000000000b',
      createdAt: '2026-01-01T00:00:00Z',
    });
    const older = rolloutView({
      id: '00000000-0000-4000-8000-00000000000a',
      phase: 'RolledBack',
      finishedAt: '2026-01-01T00:00:00Z',
      createdAt: '2025-12-01T00:00:00Z',
    });
    const { code, out, calls } = await run(
      ['rollout', 'pause', 'shop/reviews', '--reason', 'hold on'],
      (req) => {
        if (req.path === '/v1/rollouts') return { json: { items: [older, running] } };
        if (req.method === 'POST') return { json: { ...running, phase: 'Paused' } };
        return { status: 404 };
      },
    );
    expect(code).toBe(0);
    expect(calls.at(-1)).toMatchObject({
      method: 'POST',
      path: `/v1/rollouts/${running.id}/pause`,
      body: '{"reason":"hold on"}',
    });
    expect(out).toContain('pause accepted; now Paused at 20 %');
  });
});
