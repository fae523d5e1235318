import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from '@heliomesh/testing';
import { runBin } from './cli-process.js';

// The launcher builds the CLI when its sources changed since the last build; do it before timing-free assertions on stderr.
beforeAll(async () => {
  expect((await runBin(['--version'], { timeoutMs: 180_000 })).stdout).toBe('0.1.0\n');
}, 180_000);

const tmp = () => mkdtempSync(join(tmpdir(), 'heliomesh-cli-bin-'));

/** Every `yaml` fenced block of a Markdown file. */
function yamlBlocks(file: string): string[] {
  return [...readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map(
    (m) => m[1]!,
  );
}

describe('heliomesh validate (the built CLI, as CI runs it)', () => {
  it('exits 0 on the demo policies and on every policy example of the policy README', async () => {
    const dir = tmp();
    const examples = yamlBlocks('libs/policy/README.md').filter((b) =>
      b.includes('apiVersion: heliomesh.io/v1alpha1'),
    );
    expect(examples.length).toBeGreaterThanOrEqual(10);
    examples.forEach((text, i) =>
      writeFileSync(join(dir, `example-${String(i).padStart(2, '0')}.yaml`), text),
    );
    const result = await runBin(['validate', '-f', dir, 'apps/cli/demo/policies']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      `${examples.length + 3} policies in ${examples.length + 3} files: 0 errors`,
    );
    expect(result.code).toBe(0);
  });

  it('exits 1 with one file:document:path line per error', async () => {
    const file = join(tmp(), 'bad.yaml');
    writeFileSync(
      file,
      'apiVersion: heliomesh.io/v1alpha1\nkind: RateLimit\nmetadata: { name: limit, namespace: shop }\nspec:\n  target: { service: checkout }\n  requests: 300\n  unit: minute\n  burst: 50\n',
    );
    const result = await runBin(['validate', '-f', file]);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(
      `${file}:0:$.spec.burst HM4001 error: burst 50 is below the rate of 300 per minute, so at most 50 requests per minute get through`,
    );
    expect(result.stdout).toContain('Skipped without --services');
    const json = await runBin(['validate', '-f', file, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      errors: 1,
      findings: [{ code: 'HM4001', document: 0, path: '$.spec.burst' }],
    });
  });

  it('fails on warnings only with --strict', async () => {
    const file = join(tmp(), 'warn.yaml');
    writeFileSync(
      file,
      'apiVersion: heliomesh.io/v1alpha1\nkind: FaultInjection\nmetadata: { name: f, namespace: shop }\nspec:\n  target: { service: ratings }\n  abort: { httpStatus: 503 }\n',
    );
    const lax = await runBin(['validate', '-f', file]);
    expect(lax.stdout).toContain('HM1009 warning');
    expect(lax.code).toBe(0);
    expect((await runBin(['validate', '-f', file, '--strict'])).code).toBe(1);
  });

  it('says so when a path does not exist', async () => {
    const result = await runBin(['validate', '-f', 'no/such/dir']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: FILE_NOT_FOUND: no/such/dir: no such file or directory; check the path given to -f.\n',
    );
  });
});

describe('heliomesh login and errors (the built CLI)', () => {
  it('writes the config file with mode 0600 and never prints the token back', async () => {
    const config = join(tmp(), 'sub', 'config.yaml');
    const env = { HELIOMESH_CONFIG: config };
    const login = await runBin(
      ['login', 'http://127.0.0.1:3999', '--token-stdin', '--no-verify', '--name', 'lab'],
      {
        env,
        stdin: 'hm_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG\n',
      },
    );
    expect(login.code).toBe(0);
    expect(login.stdout).toBe(
      `Logged in to http://127.0.0.1:3999 as context "lab" (token hm_0123…); saved in ${config}.\n`,
    );
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(readFileSync(config, 'utf8')).toContain('token: hm_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG');
    const list = await runBin(['context', 'list'], { env });
    expect(list.stdout).not.toContain('hm_0123');
    expect(list.stdout).toContain('*         lab    http://127.0.0.1:3999');
  });

  it('says how to start the platform when nothing listens, and exits 1', async () => {
    const port = await freePort();
    const result = await runBin([
      '--server',
      `http://127.0.0.1:${port}`,
      '--token',
      'hm_x',
      'get',
      'services',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: SERVER_UNREACHABLE: Cannot reach the Heliomesh API at http://127.0.0.1:${port} (connection refused). Start the platform with \`npm start\`, or point the CLI at a running one with \`heliomesh login <server-url>\`.\n`,
    );
  });

  it('colours only when asked: FORCE_COLOR yes, NO_COLOR and pipes no', async () => {
    const file = join(tmp(), 'x.yaml');
    writeFileSync(file, 'kind: Nope\n');
    expect((await runBin(['validate', '-f', file])).stdout).not.toContain('\x1b[');
    expect(
      (await runBin(['validate', '-f', file], { env: { NO_COLOR: '', FORCE_COLOR: '1' } })).stdout,
    ).toContain('\x1b[31m');
  });
});

describe('shell completion', () => {
  /** What bash offers after `words` with the cursor on the last one, using the generated script. */
  function complete(script: string, words: string[]): string[] {
    const file = join(tmp(), 'heliomesh.bash');
    writeFileSync(file, script);
    const quoted = words.map((w) => `'${w}'`).join(' ');
    const run = spawnSync(
      'bash',
      [
        '-c',
        `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _heliomesh; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    return run.stdout.split('\n').filter(Boolean);
  }

  it('completes commands, subcommands, options and formats in bash', async () => {
    const script = (await runBin(['completion', 'bash'])).stdout;
    expect(complete(script, ['heliomesh', 'ro'])).toEqual(['rollout']);
    expect(complete(script, ['heliomesh', 'rollout', 'w'])).toEqual(['watch']);
    expect(complete(script, ['heliomesh', 'get', ''])).toEqual(
      expect.arrayContaining(['services', 'policies', 'rollouts', 'audit']),
    );
    expect(complete(script, ['heliomesh', '--context', 'x', 'get', 'po'])).toEqual([
      'policies',
      'policy',
      'pol',
    ]);
    expect(complete(script, ['heliomesh', 'rollout', 'watch', 'abc', '--t'])).toEqual([
      '--timeout',
      '--token',
    ]);
    expect(complete(script, ['heliomesh', 'get', 'services', '-o', 'y'])).toEqual(['yaml']);
  });

  it('prints a zsh script that zsh accepts', async () => {
    const script = (await runBin(['completion', 'zsh'])).stdout;
    expect(script.startsWith('#compdef heliomesh')).toBe(true);
    const zsh = spawnSync('zsh', ['-n', '-c', script], { encoding: 'utf8' });
    // zsh is not installed on every machine; bash -n checks the shared syntax then.
    if (zsh.error) expect(spawnSync('bash', ['-n', '-c', script]).status).toBe(0);
    else expect(zsh.status).toBe(0);
  });
});
