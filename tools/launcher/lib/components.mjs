import { join, resolve } from 'node:path';

/**
 * What `npm start` runs, in start order. Ports and URLs come from the same environment
 * variables the services read, with the same defaults (libs/config), so overriding one
 * variable moves both the service and the launcher's checks.
 */
export const DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/heliomesh',
  REDIS_URL: 'redis://127.0.0.1:6379',
  POLICY_API_PORT: '3000',
  GATEWAY_PORT: '4000',
  WORKER_PORT: '3001',
  COLLECTOR_PORT: '3002',
  KUBE_SIM_PORT: '6443',
  MESH_SIM_PORT: '15020',
  /** `false` runs only the services, against clusters you register yourself. */
  SANDBOX: 'true',
  /** Where the launcher keeps the sandbox kubeconfig and the demo tokens. */
  HELIOMESH_STATE_DIR: '.heliomesh',
};

export function settings(env, root) {
  const pick = (key) => (env[key] && env[key] !== '' ? env[key] : DEFAULTS[key]);
  const s = Object.fromEntries(Object.keys(DEFAULTS).map((key) => [key, pick(key)]));
  s.stateDir = resolve(root, s.HELIOMESH_STATE_DIR);
  s.kubeconfig = join(s.stateDir, 'kube-sim.kubeconfig');
  s.sandbox = s.SANDBOX !== 'false';
  return s;
}

const base = (port) => `http://127.0.0.1:${port}`;

/** The Kubernetes API sandbox and the simulated mesh with the demo shop deployed into it. */
export function sandboxComponents(s) {
  return [
    {
      name: 'kube-sim',
      entry: 'tools/kube-sim/dist/cli.js',
      args: ['--port', s.KUBE_SIM_PORT, '--kubeconfig-out', s.kubeconfig],
      env: {},
      ready: `${base(s.KUBE_SIM_PORT)}/healthz`,
    },
    {
      name: 'mesh-sim',
      entry: 'tools/mesh-sim/dist/cli/main.js',
      args: ['--kubeconfig', s.kubeconfig, '--deploy', '--port', s.MESH_SIM_PORT],
      env: {},
      ready: `${base(s.MESH_SIM_PORT)}/healthz`,
    },
  ];
}

export function serviceComponents(s, adminToken) {
  const common = { DATABASE_URL: s.DATABASE_URL, REDIS_URL: s.REDIS_URL };
  return [
    {
      name: 'policy-api',
      entry: 'apps/policy-api/dist/main.js',
      args: [],
      env: { ...common, POLICY_API_PORT: s.POLICY_API_PORT, ADMIN_TOKEN: adminToken },
      ready: `${base(s.POLICY_API_PORT)}/readyz`,
    },
    {
      name: 'gateway',
      entry: 'apps/gateway/dist/main.js',
      args: [],
      env: {
        ...common,
        GATEWAY_PORT: s.GATEWAY_PORT,
        GRAPHIQL: 'true',
        COLLECTOR_URL: base(s.COLLECTOR_PORT),
      },
      ready: `${base(s.GATEWAY_PORT)}/readyz`,
    },
    {
      name: 'rollout-worker',
      entry: 'apps/rollout-worker/dist/main.js',
      args: [],
      env: { ...common, WORKER_PORT: s.WORKER_PORT, COLLECTOR_URL: base(s.COLLECTOR_PORT) },
      ready: `${base(s.WORKER_PORT)}/readyz`,
    },
    {
      name: 'metrics-collector',
      entry: 'apps/metrics-collector/dist/main.js',
      args: [],
      env: {
        ...common,
        COLLECTOR_PORT: s.COLLECTOR_PORT,
        ...(s.sandbox ? { SCRAPE_TARGETS: `${base(s.MESH_SIM_PORT)}/metrics` } : {}),
      },
      ready: `${base(s.COLLECTOR_PORT)}/readyz`,
    },
  ];
}

export function links(s) {
  return [
    ['REST API', `${base(s.POLICY_API_PORT)}/v1`],
    ['API docs', `${base(s.POLICY_API_PORT)}/docs`],
    ['GraphQL', `${base(s.GATEWAY_PORT)}/graphql`],
    ['GraphiQL', `${base(s.GATEWAY_PORT)}/graphiql`],
    ['collector', `${base(s.COLLECTOR_PORT)}/v1/topology?namespace=shop`],
    ...(s.sandbox ? [['mesh metrics', `${base(s.MESH_SIM_PORT)}/metrics`]] : []),
  ];
}

/**
 * The tsconfig files `npm start` builds. They are the same ones the projects' Nx `build` targets
 * run `tsc --build` on; one `tsc --build` over all of them shares the parsed type libraries
 * across projects, which halves a cold build compared with one tsc process per project.
 */
export function buildConfigs(s) {
  const apps = ['policy-api', 'gateway', 'rollout-worker', 'metrics-collector'].map(
    (app) => `apps/${app}/tsconfig.app.json`,
  );
  const sims = ['kube-sim', 'mesh-sim'].map((tool) => `tools/${tool}/tsconfig.lib.json`);
  return s.sandbox ? [...apps, ...sims] : apps;
}
