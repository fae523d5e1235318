import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Builds the projects a benchmark runs or loads from their dist (apps and tools are not
 * dependencies of the bench package, so `npm run bench` does not build them by itself).
 */
export function buildProjects(...projects: string[]): void {
  const res = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', ...projects, '--skip-sync', '--outputStyle=stream'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (res.status !== 0)
    throw new Error(
      `building ${projects.join(', ')} failed: run npx nx run-many -t build -p ${projects.join(' ')}`,
    );
}
