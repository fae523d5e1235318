import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT } from '../server/mesh-sim.server.js';
import { buildCli, DEMO_TOPOLOGY } from './mesh-sim.cli.js';

function parse(argv: string[], env: Record<string, string> = {}): Record<string, unknown> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const cli = buildCli().exitOverride();
    cli.action(() => undefined);
    cli.parse(['node', 'mesh-sim', ...argv]);
    return cli.opts();
  } finally {
    process.env = saved;
  }
}

describe('mesh-sim CLI', () => {
  it('defaults to the demo topology on port 15020 at wall-clock speed', () => {
    const opts = parse([]);
    expect(opts).toMatchObject({
      topology: DEMO_TOPOLOGY,
      port: DEFAULT_PORT,
      speed: 1,
      loadScale: 1,
      host: '127.0.0.1',
    });
    expect(DEFAULT_PORT).toBe(15020);
  });

  it('reads flags, and environment variables when flags are absent', () => {
    expect(parse(['--port', '0', '--speed', '20', '--deploy', '--kubeconfig', '/tmp/k'])).toMatchObject({
      port: 0,
      speed: 20,
      deploy: true,
      kubeconfig: '/tmp/k',
    });
    expect(parse([], { MESH_SIM_PORT: '16000', KUBECONFIG: '/tmp/env-k' })).toMatchObject({
      port: 16000,
      kubeconfig: '/tmp/env-k',
    });
  });

  it('rejects out-of-range numbers with the flag name', () => {
    expect(() => parse(['--port', '70000'])).toThrow(/--port must be a number between 0 and 65535/);
    expect(() => parse(['--speed', 'fast'])).toThrow(/--speed must be a number/);
  });
});
