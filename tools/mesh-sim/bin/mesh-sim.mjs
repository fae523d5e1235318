#!/usr/bin/env node
// `npm run mesh-sim -- [args]`: builds tools/mesh-sim when its dist is missing or older than its
// sources, then runs the CLI from dist with the arguments forwarded.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const project = join(here, '..');
const root = join(project, '..', '..');
const entry = join(project, 'dist', 'cli', 'mesh-sim.cli.js');

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (!existsSync(entry) || statSync(entry).mtimeMs < newestMtime(join(project, 'src'))) {
  const build = spawnSync('npx', ['nx', 'run', '@heliomesh/mesh-sim:build', '--outputStyle=stream'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    console.error('mesh-sim: build failed; run `npx nx run @heliomesh/mesh-sim:build` to see why');
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(entry).href);
await main(process.argv);
