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
};

export function settings(env) {
  const pick = (key) => (env[key] && env[key] !== '' ? env[key] : DEFAULTS[key]);
  return Object.fromEntries(Object.keys(DEFAULTS).map((key) => [key, pick(key)]));
}

/** @returns {Array<{ name: string, entry: string, portVariable: string, port: string, links: Array<[string, string]> }>} */
export function services(s) {
  const base = (port) => `http://127.0.0.1:${port}`;
  return [
    {
      name: 'policy-api',
      entry: 'apps/policy-api/dist/main.js',
      portVariable: 'POLICY_API_PORT',
      port: s.POLICY_API_PORT,
      links: [
        ['REST API', `${base(s.POLICY_API_PORT)}/v1`],
        ['API docs', `${base(s.POLICY_API_PORT)}/docs`],
      ],
    },
    {
      name: 'gateway',
      entry: 'apps/gateway/dist/main.js',
      portVariable: 'GATEWAY_PORT',
      port: s.GATEWAY_PORT,
      links: [['GraphQL', `${base(s.GATEWAY_PORT)}/graphql`]],
    },
    {
      name: 'rollout-worker',
      entry: 'apps/rollout-worker/dist/main.js',
      portVariable: 'WORKER_PORT',
      port: s.WORKER_PORT,
      links: [['worker health', `${base(s.WORKER_PORT)}/readyz`]],
    },
    {
      name: 'metrics-collector',
      entry: 'apps/metrics-collector/dist/main.js',
      portVariable: 'COLLECTOR_PORT',
      port: s.COLLECTOR_PORT,
      links: [['collector health', `${base(s.COLLECTOR_PORT)}/readyz`]],
    },
  ];
}

/** The Nx projects `npm start` needs built. */
export const BUILD_PROJECTS = [
  '@heliomesh/policy-api',
  '@heliomesh/gateway',
  '@heliomesh/rollout-worker',
  '@heliomesh/metrics-collector',
];
