import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Environment variable names a config schema file declares (`NAME: env.something(...)`). */
export function declaredVariables(source: string): string[] {
  return [...source.matchAll(/^\s+([A-Z][A-Z0-9_]+):\s*(?:env\.|z\.)/gm)].map((m) => m[1]!);
}

/** Every service's variables: the common ones plus each app's own, read from the code. */
export function serviceVariables(repoRoot: string): Map<string, string[]> {
  const common = declaredVariables(readFileSync(join(repoRoot, 'libs/config/src/service.config.ts'), 'utf8'));
  const result = new Map<string, string[]>();
  for (const app of readdirSync(join(repoRoot, 'apps'))) {
    const configFile = join(repoRoot, 'apps', app, 'src/config.ts');
    // Services validate their environment in src/config.ts; the CLI is not a service.
    if (!existsSync(configFile)) continue;
    const own = declaredVariables(readFileSync(configFile, 'utf8'));
    result.set(app, [...common, ...own]);
  }
  return result;
}
