import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { errorMessage, type JsonPath } from '@heliomesh/util';
import { parse, stringify } from 'yaml';
import { KubeError } from '../errors/kube-error.util.js';
import { isRecord } from '../kube.types.js';

export interface KubeconfigOptions {
  /** Context to use; default: the kubeconfig's current-context. */
  context?: string;
  /**
   * A kubeconfig from an operator's own machine (true) may run exec credential plugins and read
   * local files. One received through the API (false, the default) may not: an `exec` entry would
   * run a command on our server and a file path would read our files.
   */
  trusted?: boolean;
  /** Directory that relative file paths in the kubeconfig are relative to (its own directory, as kubectl does). */
  baseDir?: string;
}

export interface LoadedConfig {
  kc: KubeConfig;
  server: string;
  /** The context's default namespace. */
  namespace: string;
  context: string;
}

function invalid(message: string, path: JsonPath = []): KubeError {
  return new KubeError({ code: 'KUBE_CONFIG_INVALID', message, path });
}

function named(
  list: unknown,
  field: string,
  name: string,
): { index: number; entry: Record<string, unknown> } {
  const items = Array.isArray(list) ? list : [];
  const index = items.findIndex((e) => isRecord(e) && e['name'] === name);
  if (index < 0) {
    const known = items.filter(isRecord).map((e) => String(e['name']));
    throw invalid(
      `the kubeconfig has no ${field.slice(0, -1)} named "${name}" (${field}: ${known.join(', ') || 'none'})`,
      [field],
    );
  }
  return { index, entry: items[index] as Record<string, unknown> };
}

/** Fields that run commands or read files on the machine that loads the kubeconfig. */
const USER_UNSAFE = ['exec', 'auth-provider', 'token-file', 'tokenFile', 'client-certificate', 'client-key'];
const CLUSTER_UNSAFE = ['certificate-authority'];

function rejectUnsafe(
  user: Record<string, unknown>,
  cluster: Record<string, unknown>,
  at: { u: number; c: number },
): void {
  for (const f of USER_UNSAFE)
    if (user[f] !== undefined)
      throw invalid(
        `users[${at.u}].user.${f} is not accepted in an uploaded kubeconfig (it runs a command or reads a file on the server); embed the credentials instead (token, client-certificate-data, client-key-data)`,
        ['users', at.u, 'user', f],
      );
  for (const f of CLUSTER_UNSAFE)
    if (cluster[f] !== undefined)
      throw invalid(
        `clusters[${at.c}].cluster.${f} is not accepted in an uploaded kubeconfig (it reads a file on the server); use certificate-authority-data`,
        ['clusters', at.c, 'cluster', f],
      );
}

/** Rewrites relative file references against the kubeconfig's directory (client-go's ResolvePaths). */
function absolutePaths(
  user: Record<string, unknown>,
  cluster: Record<string, unknown>,
  baseDir: string,
): void {
  for (const [obj, fields] of [
    [user, ['token-file', 'tokenFile', 'client-certificate', 'client-key']],
    [cluster, ['certificate-authority']],
  ] as const)
    for (const f of fields) {
      const v = obj[f];
      if (typeof v === 'string' && v !== '' && !isAbsolute(v)) obj[f] = resolve(baseDir, v);
    }
}

/** Reads a kubeconfig file of this machine's operator (trusted: exec plugins and file paths allowed). */
export function loadKubeconfigFile(
  path: string,
  options: Omit<KubeconfigOptions, 'trusted' | 'baseDir'> = {},
): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw invalid(`cannot read the kubeconfig ${path}: ${errorMessage(err)}`);
  }
  return loadKubeconfig(text, { ...options, trusted: true, baseDir: dirname(resolve(path)) });
}

function parseYaml(text: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(text, { logLevel: 'error' });
  } catch (err) {
    throw invalid(`the kubeconfig is not valid YAML: ${errorMessage(err)}`);
  }
  if (!isRecord(doc))
    throw invalid('the kubeconfig must be a YAML mapping with clusters, users and contexts');
  return doc;
}

function serverOf(cluster: Record<string, unknown>, index: number): string {
  const server = cluster['server'];
  const path = ['clusters', index, 'cluster', 'server'];
  if (typeof server !== 'string' || server === '')
    throw invalid(`clusters[${index}].cluster.server is missing`, path);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw invalid(
      `clusters[${index}].cluster.server "${server}" is not a URL (expected https://HOST:PORT)`,
      path,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalid(`clusters[${index}].cluster.server must be an http(s) URL, got "${server}"`, path);
  return server.replace(/\/$/, '');
}

/**
 * Loads one context of a kubeconfig (YAML text) into a KubeConfig holding only that context.
 * Every problem is a KUBE_CONFIG_INVALID naming the field, never a crash inside client-node.
 */
export function loadKubeconfig(text: string, options: KubeconfigOptions = {}): LoadedConfig {
  const doc = parseYaml(text);
  const contextName = options.context ?? doc['current-context'];
  if (typeof contextName !== 'string' || contextName === '') {
    const known = (Array.isArray(doc['contexts']) ? doc['contexts'] : [])
      .filter(isRecord)
      .map((c) => c['name']);
    throw invalid(
      `the kubeconfig has no current-context; name the context to use (contexts: ${known.join(', ') || 'none'})`,
      ['current-context'],
    );
  }
  const ctx = named(doc['contexts'], 'contexts', contextName);
  const ctxBody = isRecord(ctx.entry['context']) ? ctx.entry['context'] : {};
  if (typeof ctxBody['cluster'] !== 'string')
    throw invalid(`contexts[${ctx.index}].context.cluster is missing`, [
      'contexts',
      ctx.index,
      'context',
      'cluster',
    ]);
  const cl = named(doc['clusters'], 'clusters', ctxBody['cluster']);
  const clusterBody = isRecord(cl.entry['cluster']) ? { ...cl.entry['cluster'] } : {};
  const server = serverOf(clusterBody, cl.index);
  const userName = typeof ctxBody['user'] === 'string' ? ctxBody['user'] : undefined;
  const us = userName !== undefined ? named(doc['users'], 'users', userName) : undefined;
  const userBody = us && isRecord(us.entry['user']) ? us.entry['user'] : {};
  if (!options.trusted) rejectUnsafe(userBody, clusterBody, { u: us?.index ?? 0, c: cl.index });
  else if (options.baseDir) absolutePaths(userBody, clusterBody, options.baseDir);
  // client-node refuses plain HTTP unless TLS verification is off; kubectl just talks HTTP.
  if (server.startsWith('http:')) clusterBody['insecure-skip-tls-verify'] = true;
  const single = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'cluster', cluster: clusterBody }],
    users: [{ name: 'user', user: userBody }],
    contexts: [{ name: contextName, context: { ...ctxBody, cluster: 'cluster', user: 'user' } }],
    'current-context': contextName,
  };
  const kc = new KubeConfig();
  try {
    kc.loadFromString(stringify(single));
  } catch (err) {
    throw invalid(`the kubeconfig could not be loaded: ${errorMessage(err)}`);
  }
  const namespace =
    typeof ctxBody['namespace'] === 'string' && ctxBody['namespace'] ? ctxBody['namespace'] : 'default';
  return { kc, server, namespace, context: contextName };
}

export interface InClusterOptions {
  tokenPath?: string;
  caPath?: string;
  namespacePath?: string;
  /** Default: KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT of `env`. */
  host?: string;
  port?: string | number;
  env?: Record<string, string | undefined>;
  /** `http` only for a plain-HTTP API server in tests and development; real clusters are https. */
  scheme?: 'https' | 'http';
}

const TOKEN_FILE_PROVIDER = 'heliomesh-service-account-token';
/** Projected tokens rotate (about hourly); client-go re-reads the file each minute, and so do we. */
const TOKEN_REREAD_MS = 60_000;

/**
 * client-node's own token-file provider sends the file's bytes untrimmed, so a token written with a
 * trailing newline breaks every request; this one trims and re-reads like client-go.
 */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

class ServiceAccountTokenAuth implements Authenticator {
  private token = '';
  private readAt = -Infinity;

  isAuthProvider(user: User): boolean {
    return user.authProvider?.name === TOKEN_FILE_PROVIDER;
  }

  async applyAuthentication(
    user: User,
    target: Parameters<Authenticator['applyAuthentication']>[1],
  ): Promise<void> {
    const opts = target as { headers?: Record<string, string> };
    const path = (user.authProvider?.config as { path?: string } | undefined)?.path;
    if (!path) return;
    if (Date.now() - this.readAt > TOKEN_REREAD_MS) {
      this.token = (await readFile(path, 'utf8')).trim();
      this.readAt = Date.now();
    }
    opts.headers ??= {};
    opts.headers['Authorization'] = `Bearer ${this.token}`;
  }
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The pod's service account credentials, as client-go's rest.InClusterConfig: the token file is
 * re-read by client-node (rotated tokens keep working), the CA verifies the API server.
 */
export function loadInCluster(options: InClusterOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const host = options.host ?? env['KUBERNETES_SERVICE_HOST'];
  const port = options.port ?? env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port)
    throw invalid(
      'not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; register the cluster with a kubeconfig instead',
    );
  const tokenPath = options.tokenPath ?? `${SERVICE_ACCOUNT_DIR}/token`;
  const caPath = options.caPath ?? `${SERVICE_ACCOUNT_DIR}/ca.crt`;
  const namespacePath = options.namespacePath ?? `${SERVICE_ACCOUNT_DIR}/namespace`;
  try {
    readFileSync(tokenPath);
  } catch (err) {
    throw invalid(
      `cannot read the service account token at ${tokenPath}: ${errorMessage(err)}; is automountServiceAccountToken off?`,
    );
  }
  const scheme = options.scheme ?? 'https';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const server = `${scheme}://${hostPart}:${port}`;
  let namespace = 'default';
  try {
    namespace = readFileSync(namespacePath, 'utf8').trim() || 'default';
  } catch {
    // the namespace file is optional; Heliomesh names namespaces explicitly
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      scheme === 'https'
        ? { name: 'in-cluster', server, caFile: caPath, skipTLSVerify: false }
        : { name: 'in-cluster', server, skipTLSVerify: true },
    ],
    users: [
      { name: 'service-account', authProvider: { name: TOKEN_FILE_PROVIDER, config: { path: tokenPath } } },
    ],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'service-account', namespace }],
    currentContext: 'in-cluster',
  });
  kc.addAuthenticator(new ServiceAccountTokenAuth());
  return { kc, server, namespace, context: 'in-cluster' };
}

/** A sandbox (tools/kube-sim) by URL: plain HTTP, any bearer token accepted. */
export function loadSandbox(url: string): LoadedConfig {
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'sandbox', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'sandbox', user: { token: 'kube-sim' } }],
    contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox' } }],
    'current-context': 'sandbox',
  });
  return loadKubeconfig(kubeconfig);
}
