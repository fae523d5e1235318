#!/usr/bin/env node
// `npm start`: check Postgres and Redis, build what is needed, start every service with its
// output prefixed, wait until all are ready, print where to look. Ctrl-C stops everything.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_PROJECTS, services, settings } from '../lib/components.mjs';
import { checkReachable } from '../lib/preflight.mjs';
import { Supervisor } from '../lib/supervisor.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const s = settings(process.env);

if (args.has('--help')) {
  console.log(
    "usage: npm start [-- --json] [-- --no-build]\n  --json      print the services' JSON log lines as they are\n  --no-build  start from the existing build",
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
  const build = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', BUILD_PROJECTS.join(','), '--outputStyle=static'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
    },
  );
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

const list = services(s);
for (const svc of list) {
  supervisor.start({
    name: svc.name,
    command: process.execPath,
    args: [svc.entry],
    cwd: root,
    env: { [svc.portVariable]: svc.port, DATABASE_URL: s.DATABASE_URL, REDIS_URL: s.REDIS_URL },
  });
}

const READY_TIMEOUT_MS = 120_000;
const deadline = Date.now() + READY_TIMEOUT_MS;
const pending = new Set(list.map((svc) => svc.name));
while (pending.size && !shuttingDown) {
  for (const svc of list.filter((x) => pending.has(x.name))) {
    const ok = await fetch(`http://127.0.0.1:${svc.port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) pending.delete(svc.name);
  }
  if (!pending.size) break;
  if (Date.now() > deadline) {
    console.error(
      `Not ready after ${READY_TIMEOUT_MS / 1000} s: ${[...pending].join(', ')}. Their /readyz says why.`,
    );
    await shutdown(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}

if (!shuttingDown) {
  const links = list.flatMap((svc) => svc.links);
  const width = Math.max(...links.map(([label]) => label.length));
  console.log(
    [
      '',
      'Heliomesh is ready:',
      ...links.map(([label, url]) => `  ${label.padEnd(width)}  ${url}`),
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}
