#!/usr/bin/env node
// `npm run bench -- NAME [args...]`: builds what the benchmark needs, then runs tools/bench/src/benches/NAME.bench.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const benchDir = join(here, '..', 'src', 'benches');
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]\navailable: ${available.join(', ') || '(none yet)'}`);
  process.exit(name ? 2 : 0);
}
const build = spawnSync(
  'npx',
  ['nx', 'run', '@heliomesh/bench:build', '--outputStyle=stream', '--skip-sync'],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);
if (build.status !== 0) {
  console.error('build failed: run `npx nx run @heliomesh/bench:build` to see why');
  process.exit(1);
}
const entry = join(here, '..', 'dist', 'benches', `${name}.bench.js`);
if (!existsSync(entry)) {
  console.error(`missing ${entry} after build`);
  process.exit(1);
}
const run = spawnSync(process.execPath, ['--expose-gc', entry, ...args], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
