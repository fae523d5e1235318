#!/usr/bin/env node
// `npx heliomesh ...`: runs the CLI from dist, building it first (with the libraries it uses) when
// a dist is missing or older than its sources. The check is a few hundred stat calls, so a command
// starts at once when nothing changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const projectDir = join(here, '..');
const root = join(projectDir, '..', '..');
const entry = join(projectDir, 'dist', 'main.js');
// The CLI and the workspace libraries it runs from their dist.
const PROJECTS = ['apps/cli', 'libs/util', 'libs/policy', 'libs/istio', 'libs/analysis'];

/** Newest mtime of the files under `dir` whose name passes `keep`. */
function newest(dir, keep) {
  let max = 0;
  if (!existsSync(dir)) return max;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '__fixtures__') max = Math.max(max, newest(p, keep));
    } else if (keep(e.name)) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.test.ts');
const isOutput = (name) => name.endsWith('.js');
// Written after each build this launcher runs: tsc -b emits nothing for a file touched without a
// change, which would otherwise look stale forever.
const stamp = join(projectDir, 'dist', '.built-at');
const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
// tsc re-emits the output of every source it compiles, so a project is stale when a source is
// newer than all of its outputs (and than the last build from here).
const stale = (project) =>
  newest(join(root, project, 'src'), isSource) >
  Math.max(builtAt, newest(join(root, project, 'dist'), isOutput));

if (!existsSync(entry) || PROJECTS.some(stale)) {
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
