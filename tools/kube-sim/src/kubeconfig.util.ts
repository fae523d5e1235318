import { stringify } from 'yaml';

export const KUBE_SIM_CONTEXT = 'kube-sim';
export const KUBE_SIM_TOKEN = 'kube-sim-token';

/**
 * A kubeconfig pointing at the sandbox over plain HTTP with a bearer token (any token is accepted:
 * the sandbox does no authentication). Both kubectl and client-node's KubeConfig load it;
 * client-node refuses plain HTTP unless `insecure-skip-tls-verify` is set, kubectl ignores it for HTTP.
 */
export function kubeconfigYaml(url: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: KUBE_SIM_CONTEXT, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: KUBE_SIM_CONTEXT, user: { token: KUBE_SIM_TOKEN } }],
    contexts: [
      { name: KUBE_SIM_CONTEXT, context: { cluster: KUBE_SIM_CONTEXT, user: KUBE_SIM_CONTEXT, namespace } },
    ],
    'current-context': KUBE_SIM_CONTEXT,
    preferences: {},
  });
}
