#!/usr/bin/env node
// `npx heliomesh ...`: runs the CLI from dist, building it first (with the libraries it uses) when
// dist is missing or older than a source file. The check is a few hundred stat calls, so a
// command starts at once when nothing changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const projectDir = join(here, '..');
const root = join(projectDir, '..', '..');
const entry = join(projectDir, 'dist', 'main.js');
// Written after each build this launcher runs: tsc -b leaves outputs untouched when nothing in them changed.
const stamp = join(projectDir, 'dist', '.built-at');
const SOURCES = ['apps/cli/src', 'libs/util/src', 'libs/policy/src', 'libs/istio/src', 'libs/analysis/src'];

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function builtAt() {
  if (!existsSync(entry)) return 0;
  return Math.max(statSync(entry).mtimeMs, existsSync(stamp) ? statSync(stamp).mtimeMs : 0);
}

const newest = Math.max(...SOURCES.map((dir) => newestSource(join(root, dir))));
if (builtAt() < newest) {
  process.stderr.write('heliomesh: building the CLI (once after each change)...\n');
  const build = spawnSync(
    'npx',
    ['nx', 'run', '@heliomesh/cli:build', '--outputStyle=stream', '--skip-sync'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NX_NO_CLOUD: 'true' },
    },
  );
  if (build.status !== 0 || !existsSync(entry)) {
    process.stderr.write('heliomesh: the build failed; run `npx nx run @heliomesh/cli:build` to see why.\n');
    process.exit(1);
  }
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
const { main } = await import(pathToFileURL(entry).href);
await main(process.argv);
