#!/usr/bin/env node
// `npm run kube-sim -- [args]`: builds tools/kube-sim when its sources are newer than dist, then runs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const projectDir = join(here, '..');
const root = join(projectDir, '..', '..');
const entry = join(projectDir, 'dist', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

if (!existsSync(entry) || statSync(entry).mtimeMs < newestSource(join(projectDir, 'src'))) {
  const build = spawnSync(
    'npx',
    ['nx', 'run', '@heliomesh/kube-sim:build', '--outputStyle=stream', '--skip-sync'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (build.status !== 0 || !existsSync(entry)) {
    console.error('kube-sim: build failed; run `npx nx run @heliomesh/kube-sim:build` to see why');
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(entry).href);
await main(process.argv);
