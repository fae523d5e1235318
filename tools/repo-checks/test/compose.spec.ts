import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@heliomesh/testing';
import { serviceVariables } from '../src/index.js';

interface ComposeService {
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: unknown;
}

// No Docker engine runs here, so the compose file and Dockerfile are checked against the code.
const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const variables = serviceVariables(REPO_ROOT);
const PORT_VARIABLE: Record<string, string> = {
  'policy-api': 'POLICY_API_PORT',
  gateway: 'GATEWAY_PORT',
  'rollout-worker': 'WORKER_PORT',
  'metrics-collector': 'COLLECTOR_PORT',
};
const built = Object.entries(compose.services).filter(([, svc]) => svc.build);

describe('docker-compose.yml', () => {
  it('has postgres 16, redis 7, prometheus and the four services', () => {
    expect(compose.services['postgres']).toMatchObject({ image: expect.stringMatching(/^postgres:16/) });
    expect(compose.services['redis']).toMatchObject({ image: expect.stringMatching(/^redis:7/) });
    expect(compose.services['prometheus']).toBeDefined();
    expect(built.map(([name]) => name).sort()).toEqual(Object.keys(PORT_VARIABLE).sort());
  });

  it.each(built)('%s builds an app that exists, from the one Dockerfile', (name, svc) => {
    expect(svc.build!.dockerfile).toBe('Dockerfile');
    const app = svc.build!.args!['APP']!;
    expect(app).toBe(name);
    expect(existsSync(join(REPO_ROOT, 'apps', app, 'src/main.ts'))).toBe(true);
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'apps', app, 'package.json'), 'utf8')).main).toBe(
      './dist/main.js',
    );
  });

  it.each(built)(
    '%s sets only variables its code reads, and publishes the port it listens on',
    (name, svc) => {
      const known = variables.get(name)!;
      for (const key of Object.keys(svc.environment ?? {}))
        expect(known, `${name} does not read ${key}`).toContain(key);
      const port = svc.environment![PORT_VARIABLE[name]!];
      expect(port).toMatch(/^\d+$/);
      expect(svc.ports).toContain(`${port}:${port}`);
      expect(svc.environment!['HOST']).toBe('0.0.0.0');
    },
  );

  it('mounts files that exist', () => {
    for (const svc of Object.values(compose.services)) {
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./')) expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
      }
    }
  });
});

describe('Dockerfile', () => {
  it('takes the app as a build argument and runs its built entry point', () => {
    expect(dockerfile).toMatch(/^ARG APP$/m);
    expect(dockerfile).toContain('nx run "@heliomesh/$APP:build"');
    expect(dockerfile).toContain('exec node apps/$APP/dist/main.js');
    expect(existsSync(join(REPO_ROOT, 'libs/db/src/migrate.cli.ts'))).toBe(true);
  });

  it('copies only paths that exist in the repository', () => {
    for (const match of dockerfile.matchAll(/^COPY --from=build \/app\/(\S+)/gm)) {
      const path = match[1]!.replace('${APP}', 'policy-api');
      expect(existsSync(join(REPO_ROOT, path.replace(/\/$/, ''))) || path === 'node_modules', path).toBe(
        true,
      );
    }
  });
});
