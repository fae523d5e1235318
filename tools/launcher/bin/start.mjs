#!/usr/bin/env node
// `npm start`: check Postgres and Redis, build what is needed, start the Kubernetes sandbox and the
// simulated mesh with the demo shop, start every service with its output prefixed, seed a demo
// tenant, and print where to look. Ctrl-C stops everything.
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConfigs, links, sandboxComponents, serviceComponents, settings } from '../lib/components.mjs';
import { checkReachable } from '../lib/preflight.mjs';
import { seedDemo } from '../lib/seed.mjs';
import { adminToken } from '../lib/state.mjs';
import { Supervisor } from '../lib/supervisor.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const s = settings(process.env, root);

if (args.has('--help')) {
  console.log(
    [
      'usage: npm start [-- --json] [-- --no-build]',
      "  --json      print the services' JSON log lines as they are",
      '  --no-build  start from the existing build',
      'environment: SANDBOX=false runs only the services (register your own clusters); see README for the rest',
    ].join('\n'),
  );
  process.exit(0);
}

const PREFLIGHT_MS = 6_000;
const problems = (
  await Promise.all([
    checkReachable(
      {
        name: 'Postgres',
        url: s.DATABASE_URL,
        defaultPort: 5432,
        howToStart:
          'Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or `docker compose up -d postgres`, or set DATABASE_URL.',
      },
      PREFLIGHT_MS,
    ),
    checkReachable(
      {
        name: 'Redis',
        url: s.REDIS_URL,
        defaultPort: 6379,
        howToStart:
          'Start it with `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no` or `docker compose up -d redis`, or set REDIS_URL.',
      },
      PREFLIGHT_MS,
    ),
  ])
).filter(Boolean);
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}

if (!args.has('--no-build')) {
  console.log('Building (cached after the first run)...');
  const started = Date.now();
  const build = spawnSync('npx', ['tsc', '--build', ...buildConfigs(s)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    console.error(
      `${build.stdout}\n${build.stderr}\nThe build failed; fix the errors above (or run \`npm run build\` to see them alone).`,
    );
    process.exit(1);
  }
  console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

let shuttingDown = false;
const supervisor = new Supervisor({
  json,
  colour,
  onUnexpectedExit: (name, code) => {
    console.error(`${name} exited unexpectedly (code ${code}); stopping everything.`);
    void shutdown(1);
  },
});

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  console.log('Stopping...');
  await supervisor.stopAll(15_000);
  console.log('Stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const READY_TIMEOUT_MS = 120_000;
async function waitReady(components) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const pending = new Set(components.map((c) => c.name));
  while (pending.size && !shuttingDown) {
    for (const c of components.filter((x) => pending.has(x.name))) {
      if (
        await fetch(c.ready).then(
          (r) => r.ok,
          () => false,
        )
      )
        pending.delete(c.name);
    }
    if (!pending.size) return;
    if (Date.now() > deadline) {
      console.error(
        `Not ready after ${READY_TIMEOUT_MS / 1000} s: ${[...pending].join(', ')}. Their /readyz (or /healthz) says why.`,
      );
      await shutdown(1);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function start(c) {
  supervisor.start({
    name: c.name,
    command: process.execPath,
    args: [c.entry, ...c.args],
    cwd: root,
    env: c.env,
  });
}

const admin = adminToken(s.stateDir, process.env.ADMIN_TOKEN);
if (s.sandbox) {
  // One at a time: mesh-sim deploys the demo shop into the sandbox it reads from.
  for (const c of sandboxComponents(s)) {
    start(c);
    await waitReady([c]);
  }
}
const services = serviceComponents(s, admin);
for (const c of services) start(c);
await waitReady(services);

let demo;
if (s.sandbox && !shuttingDown) {
  // Seeding is idempotent; on a loaded machine a first attempt can meet services still warming
  // up (a slow first cluster connection, a discovery round in flight), so it is tried again.
  for (let attempt = 1; attempt <= 3 && !demo && !shuttingDown; attempt++) {
    try {
      demo = await seedDemo({
        apiUrl: `http://127.0.0.1:${s.POLICY_API_PORT}`,
        adminToken: admin,
        kubeconfigPath: s.kubeconfig,
        stateDir: s.stateDir,
      });
    } catch (err) {
      if (attempt < 3) {
        console.error(`${err.message}\nSeeding the demo again (attempt ${attempt + 1} of 3)...`);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      } else console.error(`${err.message}\nThe platform is running, but the demo tenant is not ready.`);
    }
  }
}

if (!shuttingDown) {
  const rows = links(s);
  const width = Math.max(...rows.map(([label]) => label.length));
  const state = relative(process.cwd(), s.stateDir) || '.';
  console.log(
    [
      '',
      'Heliomesh is ready:',
      ...rows.map(([label, url]) => `  ${label.padEnd(width)}  ${url}`),
      '',
      `  platform admin token   ${state}/admin-token`,
      ...(s.sandbox
        ? [
            `  sandbox cluster        kube-sim at http://127.0.0.1:${s.KUBE_SIM_PORT} (no real cluster configured)`,
            `  kubectl                KUBECONFIG=${relative(process.cwd(), s.kubeconfig)} kubectl get pods -n shop`,
          ]
        : []),
      ...(demo
        ? [
            `  demo tenant            "demo" owns namespace "shop" (${demo.services} services discovered)`,
            `  demo operator token    ${demo.operatorToken}`,
            '',
            '  Try:  export TOKEN=$(cat .heliomesh/demo-operator-token)',
            `        curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:${s.POLICY_API_PORT}/v1/services?namespace=shop`,
          ]
        : []),
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}
