import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeError } from '../errors/kube-error.util.js';
import { loadKubeconfig } from './kubeconfig.util.js';

function config(
  user: Record<string, unknown> = { token: 't' },
  cluster: Record<string, unknown> = { server: 'https://k8s.example:6443' },
) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'team' } }],
    'current-context': 'ctx',
  });
}

function failure(fn: () => unknown): KubeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KubeError) return err;
    throw err;
  }
  throw new Error('expected a KubeError');
}

describe('loadKubeconfig', () => {
  it('loads the current context with its server, namespace and token', async () => {
    const loaded = loadKubeconfig(config());
    expect(loaded).toMatchObject({ server: 'https://k8s.example:6443', namespace: 'team', context: 'ctx' });
    expect(loaded.kc.getCurrentUser()?.token).toBe('t');
  });

  it('turns off TLS verification for plain-HTTP servers, which client-node otherwise refuses', () => {
    const loaded = loadKubeconfig(config(undefined, { server: 'http://127.0.0.1:6443/' }));
    expect(loaded.server).toBe('http://127.0.0.1:6443');
    expect(loaded.kc.getCurrentCluster()?.skipTLSVerify).toBe(true);
  });

  it('names the field at fault', () => {
    expect(failure(() => loadKubeconfig('clusters: [')).message).toMatch(/^the kubeconfig is not valid YAML/);
    expect(failure(() => loadKubeconfig('- a\n- b')).message).toMatch(/must be a YAML mapping/);
    expect(failure(() => loadKubeconfig(config(), { context: 'prod' })).path).toBe('$.contexts');
    expect(failure(() => loadKubeconfig(config(undefined, {}))).path).toBe('$.clusters[0].cluster.server');
    expect(failure(() => loadKubeconfig(config(undefined, { server: 'k8s:6443' }))).message).toMatch(
      /must be an http\(s\) URL|is not a URL/,
    );
    const noCurrent = stringify({ contexts: [{ name: 'a', context: { cluster: 'c' } }] });
    expect(failure(() => loadKubeconfig(noCurrent)).message).toBe(
      'the kubeconfig has no current-context; name the context to use (contexts: a)',
    );
  });

  it('refuses anything that runs a command or reads a file on our side, unless trusted', () => {
    for (const [user, field] of [
      [{ exec: { command: 'sh' } }, 'exec'],
      [{ 'auth-provider': { name: 'gcp', config: { 'cmd-path': 'sh' } } }, 'auth-provider'],
      [{ 'token-file': '/etc/shadow' }, 'token-file'],
      [{ 'client-certificate': '/etc/cert', 'client-key': '/etc/key' }, 'client-certificate'],
    ] as const) {
      const err = failure(() => loadKubeconfig(config(user)));
      expect(err).toMatchObject({ code: 'KUBE_CONFIG_INVALID', path: `$.users[0].user.${field}` });
    }
    const caFile = config(undefined, { server: 'https://x:6443', 'certificate-authority': '/etc/ca' });
    expect(failure(() => loadKubeconfig(caFile)).path).toBe('$.clusters[0].cluster.certificate-authority');
    expect(
      loadKubeconfig(config({ exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1' } }), {
        trusted: true,
      }).server,
    ).toBe('https://k8s.example:6443');
  });

  it('answers any input with a loaded config or KUBE_CONFIG_INVALID, never another error (property)', () => {
    const text = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => stringify(v)),
      fc
        .record({
          clusters: fc.array(
            fc.record({
              name: fc.string(),
              cluster: fc.record({ server: fc.oneof(fc.webUrl(), fc.string()) }),
            }),
          ),
          users: fc.array(fc.record({ name: fc.string(), user: fc.dictionary(fc.string(), fc.jsonValue()) })),
          contexts: fc.array(
            fc.record({ name: fc.string(), context: fc.record({ cluster: fc.string(), user: fc.string() }) }),
          ),
          'current-context': fc.string(),
        })
        .map((v) => stringify(v)),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          const loaded = loadKubeconfig(t);
          expect(loaded.server).toMatch(/^https?:\/\//);
        } catch (err) {
          expect(err).toBeInstanceOf(KubeError);
          expect((err as KubeError).code).toBe('KUBE_CONFIG_INVALID');
        }
      }),
      { numRuns: 150 },
    );
  });
});
